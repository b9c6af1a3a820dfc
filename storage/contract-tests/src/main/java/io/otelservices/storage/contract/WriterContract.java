package io.otelservices.storage.contract;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.MILLI;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.gauge;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.point;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.StoredWalRanges;
import io.otelservices.storage.WalRange;
import io.otelservices.storage.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What every backend's writer must do: the WAL checkpoint, atomic batches, health, close and reopen. */
public abstract class WriterContract extends StorageContract {

    @Test
    public void durableWalSequence_newBackend_isZero() {
        assertThat(backend().writer().durableWalSequence()).isZero();
    }

    @Test
    public void durableWalSequence_afterWrites_isLastBatchSequence() {
        write(mixedBatch(0, 10, 3));
        assertThat(backend().writer().durableWalSequence()).isEqualTo(3);

        write(mixedBatch(1, 10, 17));
        assertThat(backend().writer().durableWalSequence()).isEqualTo(17);
    }

    @Test
    public void storedWalRanges_batchesOutOfOrder_mergedAndContiguousOnlyWithoutGaps() {
        write(rangeBatch(0, 11, 20));
        assertThat(backend().writer().storedWalRanges().ranges()).containsExactly(new WalRange(11, 20));
        assertThat(backend().writer().durableWalSequence()).isZero();

        write(rangeBatch(1, 1, 5));
        write(rangeBatch(2, 30, 31));
        StoredWalRanges stored = backend().writer().storedWalRanges();
        assertThat(stored.ranges()).containsExactly(new WalRange(1, 5), new WalRange(11, 20), new WalRange(30, 31));
        assertThat(stored.contiguous()).isEqualTo(5);
        assertThat(stored.contains(15)).isTrue();
        assertThat(stored.contains(25)).isFalse();

        write(rangeBatch(3, 6, 10), rangeBatch(4, 21, 29));
        assertThat(backend().writer().storedWalRanges().ranges()).containsExactly(new WalRange(1, 31));
        assertThat(backend().writer().durableWalSequence()).isEqualTo(31);
    }

    @Test
    public void storedWalRanges_manyOutOfOrderBatches_surviveReopen() {
        // Enough batches to pass any compaction interval of the checkpoint, committed pairwise swapped.
        List<WriteBatch> batches = new ArrayList<>();
        for (int i = 0; i < 300; i += 2) {
            batches.add(rangeBatch(i + 1, 10L * (i + 1) + 1, 10L * (i + 2)));
            batches.add(rangeBatch(i, 10L * i + 1, 10L * (i + 1)));
        }
        batches.add(rangeBatch(999, 5001, 5005));
        for (WriteBatch batch : batches) {
            write(batch);
        }
        StoredWalRanges expected = StoredWalRanges.of(List.of(new WalRange(1, 3000), new WalRange(5001, 5005)));
        assertThat(backend().writer().storedWalRanges()).isEqualTo(expected);
        if (supports(StorageCapability.REOPEN)) {
            assertThat(closeAndReopen().writer().storedWalRanges()).isEqualTo(expected);
        }
    }

    @Test
    public void write_emptyBatch_advancesSequence() {
        write(new WriteBatch(List.of(), List.of(), List.of(), 5));
        assertThat(backend().writer().durableWalSequence()).isEqualTo(5);

        write(new WriteBatch(List.of(), List.of(), List.of(), 6));
        assertThat(backend().writer().durableWalSequence()).isEqualTo(6);
        assertThat(await(backend().traces().serviceNames(TimeRange.ALL))).isEmpty();
    }

    @Test
    public void write_futureCompleted_everySignalVisible() {
        WriteBatch batch = mixedBatch(0, 50, 1);

        write(batch);

        assertThat(await(backend().traces().getTrace(traceId(0), TimeRange.ALL))).hasSize(50);
        assertThat(logCount()).isEqualTo(50);
        assertThat(seriesPointCount()).isEqualTo(50);
    }

    @Test
    public void write_concurrentReaders_seeBatchWholeOrNotAtAll() {
        int size = 3_000;
        WriteBatch batch = mixedBatch(0, size, 1);
        List<Integer> spanCounts = new ArrayList<>();

        CompletableFuture<Void> written = backend().writer().write(batch);
        boolean sawSpans = false;
        do {
            int spans = await(backend().traces().getTrace(traceId(0), TimeRange.ALL)).size();
            spanCounts.add(spans);
            if (spans == size) {
                sawSpans = true;
            }
            if (sawSpans) {
                // The spans are visible, so the rest of the batch must be too.
                assertThat(logCount()).isEqualTo(size);
                assertThat(seriesPointCount()).isEqualTo(size);
            }
        } while (!written.isDone());
        await(written);

        assertThat(spanCounts).allSatisfy(count -> assertThat(count).isIn(0, size));
        assertThat(await(backend().traces().getTrace(traceId(0), TimeRange.ALL))).hasSize(size);
        assertThat(logCount()).isEqualTo(size);
        assertThat(seriesPointCount()).isEqualTo(size);
    }

    @Test
    public void write_manyBatches_allKeptInOrder() {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(backend().writer().write(mixedBatch(i, 25, i + 1)));
            await(futures.get(i));
        }

        assertThat(backend().writer().durableWalSequence()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(await(backend().traces().getTrace(traceId(i), TimeRange.ALL))).hasSize(25);
        }
        assertThat(logCount()).isEqualTo(100);
    }

    @Test
    public void check_openBackend_ok() {
        assertThat(backend().check().ok()).isTrue();
        assertThat(backend().check().error()).isNull();
    }

    @Test
    public void close_thenCheckOrWrite_failsCleanly() {
        StorageBackend closed = backend();
        closed.close();
        closed.close(); // idempotent

        assertThat(closed.check().ok()).isFalse();
        assertThat(closed.check().error()).isNotNull();
        assertThat(failureOf(closed.writer().write(mixedBatch(0, 1, 1)))).isNotNull();
        assertThat(failureOf(closed.traces().getTrace(traceId(0), TimeRange.ALL))).isNotNull();
    }

    @Test
    public void reopen_dataAndWalSequence_survive() {
        WriteBatch first = mixedBatch(0, 20, 41);
        WriteBatch second = mixedBatch(1, 5, 42);
        write(first, second);

        if (!supports(StorageCapability.REOPEN)) {
            // Opt-out: a store that cannot reopen must say so, and a closed one must not answer from nothing.
            StorageBackend closed = backend();
            closed.close();
            assertThatThrownBy(() -> reopen(closed)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(failureOf(closed.traces().getTrace(traceId(0), TimeRange.ALL)))
                    .isInstanceOf(IllegalStateException.class);
            return;
        }

        StorageBackend reopened = closeAndReopen();

        assertThat(reopened.writer().durableWalSequence()).isEqualTo(42);
        assertThat(reopened.check().ok()).isTrue();
        List<Span> trace = await(reopened.traces().getTrace(traceId(0), TimeRange.ALL));
        assertThat(trace).usingRecursiveComparison(EXACTLY).isEqualTo(first.spans());
        LogPage logs = await(reopened.logs().findLogs(
                new LogQuery(TimeRange.ALL, null, 0, null, traceId(1), List.of(), 100, null)));
        List<LogRecord> expectedLogs = new ArrayList<>(second.logs());
        expectedLogs.sort((a, b) -> Long.compare(b.timestampNanos(), a.timestampNanos()));
        assertThat(logs.records()).usingRecursiveComparison(EXACTLY).isEqualTo(expectedLogs);
        List<MetricSeries> series = await(reopened.series().select(
                new SeriesQuery("batch.metric.0", null, List.of(), TimeRange.ALL, 100, null)));
        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.points()).hasSize(20);
            assertThat(s.attributes()).isEqualTo(first.metricPoints().get(0).attributes());
            assertThat(s.resourceAttributes()).isEqualTo(first.metricPoints().get(0).resource().attributes());
        });

        // And the reopened store keeps writing and counting.
        await(reopened.writer().write(mixedBatch(2, 1, 43)));
        assertThat(reopened.writer().durableWalSequence()).isEqualTo(43);
    }

    // --- helpers

    /** A batch of one span of trace {@code n} covering log records {@code first..last}. */
    protected static WriteBatch rangeBatch(int n, long first, long last) {
        return new WriteBatch(List.of(span(traceId(n), spanId(n)).build()),
                List.of(), List.of(), first, last);
    }

    /**
     * {@code size} spans (all of trace {@code n}), as many logs (all with trace id {@code n}) and as many gauge
     * points of metric {@code batch.metric.<n>}, up to {@code walSequence}.
     */
    protected static WriteBatch mixedBatch(int n, int size, long walSequence) {
        List<Span> spans = new ArrayList<>(size);
        List<LogRecord> logs = new ArrayList<>(size);
        List<MetricPoint> points = new ArrayList<>(size);
        long start = BASE_NANOS + n * 10 * SECOND;
        for (int i = 0; i < size; i++) {
            spans.add(span(traceId(n), spanId(n * 100_000 + i)).parent(i == 0 ? "" : spanId(n * 100_000))
                    .start(start + i * MILLI).build());
            logs.add(log(start + i * MILLI).trace(traceId(n), spanId(n * 100_000 + i)).body("log " + i).build());
            points.add(point("batch.metric." + n, start + i * MILLI, gauge(i)).build());
        }
        return new WriteBatch(spans, logs, points, walSequence);
    }

    private int logCount() {
        int count = 0;
        for (int n = 0; n < 10; n++) {
            LogPage page = await(backend().logs().findLogs(
                    new LogQuery(TimeRange.ALL, null, 0, null, traceId(n), List.of(), 100_000, null)));
            count += page.records().size();
        }
        return count;
    }

    private int seriesPointCount() {
        int count = 0;
        for (int n = 0; n < 10; n++) {
            for (MetricSeries series : await(backend().series().select(
                    new SeriesQuery("batch.metric." + n, null, List.of(), TimeRange.ALL, 10, null)))) {
                count += series.points().size();
            }
        }
        return count;
    }
}
