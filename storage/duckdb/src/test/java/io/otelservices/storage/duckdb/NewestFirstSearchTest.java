package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.MILLI;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.logs;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.spans;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.LogRecord;
import io.otelservices.model.Span;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceSummary;
import io.otelservices.storage.WriteBatch;
import io.otelservices.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace and log searches walk the blocks newest first and stop early ({@link NewestFirstScan}): they must answer
 * exactly what a full scan answers. The same data goes into the in-memory store (the oracle) and into DuckDB with
 * eleven sealed hours, late rows of sealed hours still hot, timestamps tied within blocks, and traces that cross
 * hour boundaries; searches with limits that end in the first, a middle and the last block.
 */
class NewestFirstSearchTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final List<String> SERVICES = List.of("cart", "checkout", "frontend");

    @TempDir
    Path dataDirectory;

    private final SteppingClock clock = new SteppingClock(BASE_NANOS);
    private final InMemoryStorage oracle = new InMemoryStorage();
    private DuckDbStorage storage;
    private long walSequence;

    @BeforeEach
    void writeElevenHours() throws Exception {
        storage = DuckDbStorage.open(clock.config(dataDirectory));
        Random random = new Random(42);
        List<Span> sealed = new ArrayList<>();
        List<LogRecord> sealedLogs = new ArrayList<>();
        List<Span> late = new ArrayList<>();
        List<LogRecord> lateLogs = new ArrayList<>();
        for (int trace = 0; trace < 300; trace++) {
            // Starts on a ten-minute grid over ten hours: many traces and records share a timestamp.
            long start = BASE_NANOS + random.nextInt(60) * 10 * 60 * 1_000_000_000L;
            int spanCount = 1 + random.nextInt(4);
            for (int s = 0; s < spanCount; s++) {
                // Some spans of a trace start an hour later: the trace lies in two blocks.
                long spanStart = start + (random.nextInt(8) == 0 ? HOUR : 0) + (random.nextBoolean() ? 0 : s * MILLI);
                Span span = span(traceId(trace), spanId(trace * 10 + s)).parent(s == 0 ? "" : spanId(trace * 10))
                        .service(SERVICES.get(random.nextInt(SERVICES.size()))).name("op-" + random.nextInt(3))
                        .start(spanStart).duration((1 + random.nextInt(300)) * MILLI).build();
                (random.nextInt(6) > 0 ? sealed : late).add(span);
            }
            LogRecord record = log(start + (random.nextBoolean() ? 0 : random.nextInt(3) * MILLI))
                    .service(SERVICES.get(random.nextInt(SERVICES.size())))
                    .severity(random.nextBoolean() ? 9 : 17)
                    .body((random.nextBoolean() ? "request timeout after " : "order placed in ") + trace + " ms")
                    .trace(traceId(trace), spanId(trace * 10)).build();
            (random.nextInt(6) > 0 ? sealedLogs : lateLogs).add(record);
        }
        write(spans(++walSequence, sealed));
        write(logs(++walSequence, sealedLogs));
        clock.set(BASE_NANOS + 12 * HOUR);
        assertThat(storage.runMaintenance().sealedBlocks()).isEqualTo(11 + 10); // hours of spans, of log records
        // Rows that arrive after their hour was sealed stay hot next to the blocks: old rows in the hot table.
        write(spans(++walSequence, late));
        write(logs(++walSequence, lateLogs));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void traceSearch_answersWhatAFullScanAnswers() throws Exception {
        TimeRange all = new TimeRange(BASE_NANOS, BASE_NANOS + 12 * HOUR);
        TimeRange middle = new TimeRange(BASE_NANOS + 2 * HOUR, BASE_NANOS + 6 * HOUR + 1);
        for (TimeRange range : List.of(all, middle)) {
            for (int limit : new int[] {1, 2, 5, 20, 60, 1000}) {
                for (String service : new String[] {null, "checkout"}) {
                    for (Long minDuration : new Long[] {null, 150 * MILLI}) {
                        TraceQuery query = new TraceQuery(range, null, service, null, minDuration, null, List.of(),
                                limit);
                        assertThat(get(storage, query)).as("%s", query).isEqualTo(get(oracle, query))
                                .isNotEmpty();
                    }
                }
            }
        }
    }

    @Test
    void logSearch_pagesThroughWhatAFullScanAnswers() throws Exception {
        TimeRange all = new TimeRange(BASE_NANOS, BASE_NANOS + 12 * HOUR);
        for (int limit : new int[] {1, 3, 7, 50, 120}) {
            for (String text : new String[] {null, "timeout"}) {
                for (String service : new String[] {null, "frontend"}) {
                    LogQuery first = new LogQuery(all, service, 0, text, null, List.of(), limit, null);
                    List<LogRecord> paged = pageThrough(storage, first);
                    assertThat(paged).as("%s", first).isEqualTo(pageThrough(oracle, first)).isNotEmpty();
                }
            }
        }
    }

    private static List<LogRecord> pageThrough(StorageBackend backend, LogQuery first) throws Exception {
        List<LogRecord> all = new ArrayList<>();
        LogCursor after = null;
        do {
            LogPage page = backend.logs().findLogs(new LogQuery(first.range(), first.serviceName(),
                    first.minSeverityNumber(), first.searchText(), first.traceId(), first.attributes(),
                    first.limit(), after)).get(30, TimeUnit.SECONDS);
            all.addAll(page.records());
            after = page.next();
        } while (after != null);
        return all;
    }

    private static List<TraceSummary> get(StorageBackend backend, TraceQuery query) throws Exception {
        return backend.traces().findTraces(query).get(30, TimeUnit.SECONDS);
    }

    private void write(WriteBatch batch) throws Exception {
        storage.writer().write(batch).get(30, TimeUnit.SECONDS);
        oracle.writer().write(batch).get(30, TimeUnit.SECONDS);
    }
}
