package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.logs;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.spans;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.LogRecord;
import io.otelservices.model.Span;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing hot rows into blocks, late rows, retention by whole partitions over 13 months, leftovers of crashes. */
class BlockSealerTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long DAY = TimeUnit.DAYS.toNanos(1);

    @TempDir
    Path dataDirectory;

    private final SteppingClock clock = new SteppingClock(BASE_NANOS);
    private long walSequence;

    private DuckDbStorage open() {
        return DuckDbStorage.open(clock.config(dataDirectory));
    }

    @Test
    void sealing_movesClosedHoursIntoSortedBlocks_andQueriesAnswerTheSame() throws Exception {
        try (DuckDbStorage storage = open()) {
            List<Span> written = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                // Three hours, two services; the hour after BASE_NANOS + 2 h is still open at the clock below.
                written.add(span(traceId(i / 3), spanId(i)).service(i % 2 == 0 ? "checkout" : "cart")
                        .name("op-" + (i % 4)).start(BASE_NANOS + i * 3 * 60 * SECOND).duration((i + 1) * 1_000_000L)
                        .build());
            }
            write(storage, spans(++walSequence, written));
            TimeRange all = new TimeRange(BASE_NANOS - DAY, BASE_NANOS + DAY);
            List<ServiceStats> statsBefore = get(storage.traces().serviceStats(all));
            List<Span> traceBefore = get(storage.traces().getTrace(traceId(7), all));

            clock.set(BASE_NANOS + 2 * HOUR + 6 * 60 * SECOND); // past the grace period of the second hour
            DuckDbStorage.MaintenanceReport report = storage.runMaintenance();

            assertThat(report.sealedBlocks()).isEqualTo(2);
            assertThat(report.sealedRows()).isEqualTo(40);
            assertThat(count(storage, "SELECT count(*) FROM otel_traces")).isEqualTo(20);
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE TableName = 'otel_traces'")).isEqualTo(2);
            assertThat(blockFiles()).filteredOn(f -> f.toString().contains("/otel_traces/")).hasSize(2);
            assertThat(get(storage.traces().serviceStats(all))).isEqualTo(statsBefore);
            assertThat(get(storage.traces().getTrace(traceId(7), TimeRange.ALL))).isEqualTo(traceBefore);
            assertThat(get(storage.traces().findTraces(
                    new TraceQuery(all, null, "cart", null, null, null, List.of(), 100))))
                    .hasSize(20);
            // The block is sorted by service, then name, then time.
            List<String> services = strings(storage, "SELECT ServiceName FROM read_parquet('"
                    + blockFiles().stream().filter(f -> f.toString().contains("/otel_traces/")).findFirst().get()
                    + "')");
            assertThat(services).isSorted();
        }
    }

    @Test
    void lateRows_ofASealedHour_stayHot_andBecomeAnotherBlockOfThatHour() throws Exception {
        try (DuckDbStorage storage = open()) {
            write(storage, spans(++walSequence, span(traceId(1), spanId(1)).start(BASE_NANOS + SECOND).build()));
            clock.set(BASE_NANOS + 2 * HOUR);
            assertThat(storage.runMaintenance().sealedBlocks()).isEqualTo(1);

            write(storage, spans(++walSequence, span(traceId(1), spanId(2)).parent(spanId(1))
                    .start(BASE_NANOS + 2 * SECOND).build()));
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).extracting(Span::spanId)
                    .containsExactly(spanId(1), spanId(2));

            DuckDbStorage.MaintenanceReport second = storage.runMaintenance();
            assertThat(second.sealedBlocks()).isEqualTo(1);
            // The hour's two traces blocks (and its two span statistics blocks) are then merged into one each.
            assertThat(second.compactedBlocks()).isEqualTo(4);
            assertThat(count(storage, "SELECT count(*) FROM otel_traces")).isZero();
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE TableName = 'otel_traces'")).isEqualTo(1);
            assertThat(count(storage, "SELECT count(DISTINCT BlockId) FROM otel_trace_index WHERE TraceId = '"
                    + traceId(1) + "'")).isEqualTo(1);
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).extracting(Span::spanId)
                    .containsExactly(spanId(1), spanId(2));
        }
    }

    @Test
    void retention_overThirteenMonths_dropsExactlyTheExpiredPartitions() throws Exception {
        try (DuckDbStorage storage = open()) {
            // One span and one log record at the start of each of 13 months (30-day steps).
            for (int month = 0; month < 13; month++) {
                long time = BASE_NANOS + month * 30 * DAY;
                write(storage, spans(++walSequence, span(traceId(month), spanId(month)).start(time).build()));
                write(storage, logs(++walSequence, List.of(log(time).service("svc").body("m" + month).build())));
            }
            long end = BASE_NANOS + 12 * 30 * DAY + 2 * HOUR;
            clock.set(end);
            DuckDbStorage.MaintenanceReport report = storage.runMaintenance();

            // Every hour that holds data is closed: 13 trace blocks and 13 log blocks. Partitions that ended at
            // least 30 days ago go: trace hours of months 0-11 (month 11's hour ended 30 d + 1 h ago), log days
            // of months 0-10 (month 11's day ended 29 d + 2 h ago).
            assertThat(report.sealedBlocks()).isEqualTo(26);
            assertThat(report.droppedBlocks()).isEqualTo(12 + 11);
            assertThat(get(storage.traces().serviceStats(TimeRange.ALL)).get(0).spanCount()).isEqualTo(1);
            List<LogRecord> logsLeft = get(storage.logs().findLogs(
                    new LogQuery(TimeRange.ALL, null, 0, null, null, List.of(), 100, null))).records();
            assertThat(logsLeft).extracting(LogRecord::body).containsExactlyInAnyOrder("m11", "m12");
            assertThat(count(storage, "SELECT count(*) FROM otel_trace_index")).isEqualTo(1);

            // Month 11's log day ends at BASE + 331 d: kept until exactly 30 days after that.
            long month11LogDayEnd = BASE_NANOS + 331 * DAY;
            clock.set(month11LogDayEnd + 30 * DAY - 1);
            assertThat(storage.runMaintenance().droppedBlocks()).isZero();
            clock.set(month11LogDayEnd + 30 * DAY);
            assertThat(storage.runMaintenance().droppedBlocks()).isEqualTo(1);
        }
    }

    @Test
    void droppedBlocksFiles_areDeletedAfterTheDelay_orAtTheNextStart() throws Exception {
        try (DuckDbStorage storage = open()) {
            write(storage, spans(++walSequence, span(traceId(1), spanId(1)).start(BASE_NANOS).build()));
            clock.set(BASE_NANOS + 2 * HOUR);
            storage.runMaintenance();
            assertThat(traceBlockFiles()).hasSize(1);
            clock.set(BASE_NANOS + 40 * DAY);
            assertThat(storage.runMaintenance().droppedBlocks()).isEqualTo(1);
            // Still there for queries that planned with it before the drop.
            assertThat(traceBlockFiles()).hasSize(1);
        }
        try (DuckDbStorage storage = open()) {
            assertThat(traceBlockFiles()).isEmpty();
        }
    }

    @Test
    void crashLeftovers_unlistedFiles_areRemovedAtStart_andListedBlocksSurviveRestart() throws Exception {
        try (DuckDbStorage storage = open()) {
            write(storage, spans(++walSequence, span(traceId(1), spanId(1)).start(BASE_NANOS).build()));
            clock.set(BASE_NANOS + 2 * HOUR);
            storage.runMaintenance();
        }
        // What a crash between COPY and COMMIT leaves: a file the catalog does not list.
        Path orphan = dataDirectory.resolve("blocks/otel_traces/2026-01-01/00-99.parquet");
        Files.writeString(orphan, "half a parquet file");
        long lastId;
        try (DuckDbStorage storage = open()) {
            assertThat(orphan).doesNotExist();
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE TableName = 'otel_traces'")).isEqualTo(1);
            lastId = count(storage, "SELECT max(BlockId) FROM otel_blocks");
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).hasSize(1);
            // Block ids continue after the restart.
            write(storage, spans(++walSequence, span(traceId(2), spanId(2)).start(BASE_NANOS + 10 * SECOND).build()));
            storage.runMaintenance();
            // The new hour's block (merged with the earlier block of the same hour) gets an id past the old ones.
            assertThat(count(storage, "SELECT min(BlockId) FROM otel_blocks WHERE TableName = 'otel_traces'"))
                    .isGreaterThan(lastId);
        }
    }

    @Test
    void sealingFailure_rollsBack_leavesRowsHot_andNoFile() throws Exception {
        try (DuckDbStorage storage = open()) {
            write(storage, spans(++walSequence, span(traceId(1), spanId(1)).start(BASE_NANOS).build()));
            // The hour's directory exists as a file: creating it fails after the rows were counted.
            Files.createDirectories(dataDirectory.resolve("blocks/otel_traces"));
            Files.writeString(dataDirectory.resolve("blocks/otel_traces/2026-01-01"), "in the way");
            clock.set(BASE_NANOS + 2 * HOUR);
            org.assertj.core.api.Assertions.assertThatThrownBy(storage::runMaintenance)
                    .isInstanceOf(DuckDbStorageException.class).hasMessageContaining("cannot write block");
            assertThat(count(storage, "SELECT count(*) FROM otel_traces")).isEqualTo(1);
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks")).isZero();
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).hasSize(1);

            Files.delete(dataDirectory.resolve("blocks/otel_traces/2026-01-01"));
            assertThat(storage.runMaintenance().sealedBlocks()).isEqualTo(1);
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).hasSize(1);
        }
    }

    private List<Path> traceBlockFiles() throws IOException {
        return blockFiles().stream().filter(f -> f.toString().contains("/otel_traces/")).toList();
    }

    private List<Path> blockFiles() throws IOException {
        Path blocks = dataDirectory.resolve("blocks");
        if (!Files.isDirectory(blocks)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(blocks)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void write(DuckDbStorage storage, WriteBatch batch) throws Exception {
        storage.writer().write(batch).get(30, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** A number from the store, read through the read pool's own transaction handling. */
    private static long count(DuckDbStorage storage, String sql) throws Exception {
        return get(storage.query(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }));
    }

    private static List<String> strings(DuckDbStorage storage, String sql) throws Exception {
        return get(storage.query(connection -> {
            List<String> values = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }));
    }
}
