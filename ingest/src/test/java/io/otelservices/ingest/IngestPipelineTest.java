package io.otelservices.ingest;

import io.otelservices.storage.WalRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.ingest.otlp.OtlpConverter;
import io.otelservices.ingest.testing.OtlpFixtures;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import io.otelservices.model.Span;
import io.otelservices.storage.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {

    @TempDir
    Path dir;

    private final List<IngestPipeline> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(p -> p.close(Duration.ofMillis(200)));
    }

    private IngestConfig config() {
        return IngestConfig.defaults(dir).withBatch(100, Duration.ofMillis(50)).withWalSegmentBytes(4096);
    }

    private IngestPipeline open(IngestConfig config, RecordingBatchWriter writer, SimpleMeterRegistry meters)
            throws IOException {
        IngestPipeline pipeline = IngestPipeline.open(config, writer, meters);
        opened.add(pipeline);
        return pipeline;
    }

    /** Submits {@code count} spans as one request, as the receivers do. */
    private static CompletableFuture<Void> submitSpans(IngestPipeline pipeline, int count, int salt) {
        var request = OtlpFixtures.manySpans(count, salt);
        return pipeline.submit(Signal.TRACES, request.toByteArray(), OtlpConverter.traces(request));
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wal")).toList();
        }
    }

    @Test
    void submit_acknowledgesOnceDurable_thenStoresAndCounts() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingBatchWriter writer = new RecordingBatchWriter();
        IngestPipeline pipeline = open(config(), writer, meters);
        assertThat(pipeline.isReady()).isTrue();

        submitSpans(pipeline, 3, 1).get(5, TimeUnit.SECONDS);
        // Acknowledged means in the log: a segment with a record exists on disk.
        assertThat(segments()).hasSize(1);
        assertThat(Files.size(segments().get(0))).isGreaterThan(16);

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.itemCount() == 3);
        assertThat(writer.batches().get(0).walSequence()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.queuedItems() == 0);
        assertThat(meters.get("otel.received.spans").counter().count()).isEqualTo(3);
        assertThat(meters.get("otel.queue.size").gauge().value()).isZero();
        assertThat(meters.get("otel.storage.writes").tags("table", "otel_traces", "status", "ok").counter().count())
                .isEqualTo(3);
        assertThat(meters.get("otel.batch.size").summary().count()).isEqualTo(1);
        assertThat(meters.get("otel.wal.fsync.duration").timer().count()).isPositive();
    }

    @Test
    void submit_overQueueBound_isRefusedAsOverloaded_untilStorageCatchesUp() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingBatchWriter writer = new RecordingBatchWriter().hold();
        IngestPipeline pipeline = open(config().withMaxQueuedItems(5), writer, meters);

        submitSpans(pipeline, 3, 1).get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> refused = submitSpans(pipeline, 3, 2);

        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IngestUnavailableException.class)
                .satisfies(e -> assertThat(((IngestUnavailableException) e).reason())
                        .isEqualTo(IngestUnavailableException.Reason.OVERLOADED));
        assertThat(pipeline.queuedItems()).isEqualTo(3);
        assertThat(meters.get("otel.rejected.items").tags("signal", "traces", "reason", "overloaded").counter()
                .count()).isEqualTo(3);

        writer.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.queuedItems() == 0);
        submitSpans(pipeline, 3, 3).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.itemCount() == 6);
    }

    @Test
    void submit_oneRequestLargerThanTheBound_isTakenWhenNothingWaits() throws Exception {
        RecordingBatchWriter writer = new RecordingBatchWriter();
        IngestPipeline pipeline = open(config().withMaxQueuedItems(2), writer, new SimpleMeterRegistry());

        submitSpans(pipeline, 5, 1).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.itemCount() == 5);
    }

    @Test
    void storageFailures_areRetried_withNothingLostOrDuplicated() throws Exception {
        RecordingBatchWriter writer = new RecordingBatchWriter().failNext(2);
        IngestPipeline pipeline = open(config(), writer, new SimpleMeterRegistry());

        for (int i = 0; i < 5; i++) {
            submitSpans(pipeline, 2, i).get(5, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> writer.itemCount() == 10);
        assertThat(writer.spans()).extracting(Span::spanId).doesNotHaveDuplicates();
        assertThat(writer.attempts()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void reopenAfterCrash_replaysExactlyTheRecordsAboveTheDurableSequence() throws Exception {
        // A storage that takes nothing, and a process that dies without closing.
        RecordingBatchWriter crashed = new RecordingBatchWriter().failAlways(true);
        IngestPipeline first = open(config().withBatch(1, Duration.ofMillis(10)), crashed, new SimpleMeterRegistry());
        for (int i = 1; i <= 4; i++) {
            submitSpans(first, i, i).get(5, TimeUnit.SECONDS); // sequences 1..4 with 1, 2, 3, 4 spans
        }

        // The real storage had stored records 1 and 2 before the crash.
        RecordingBatchWriter restarted = new RecordingBatchWriter(2);
        IngestPipeline second = open(config().withBatch(100, Duration.ofMillis(10)), restarted,
                new SimpleMeterRegistry());

        await().atMost(Duration.ofSeconds(5)).until(() -> restarted.itemCount() == 7);
        assertThat(restarted.batches()).extracting(WriteBatch::walSequence).last().isEqualTo(4L);
        assertThat(restarted.spans()).extracting(Span::traceId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("000000000000000[45].*")); // salts 3 and 4
        // New requests continue the sequence after the replayed ones.
        submitSpans(second, 1, 9).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> restarted.itemCount() == 8);
        assertThat(restarted.batches()).extracting(WriteBatch::walSequence).last().isEqualTo(5L);
    }

    @Test
    void reopenAfterCleanClose_replaysNothing_andDeletesTheLog() throws Exception {
        RecordingBatchWriter writer = new RecordingBatchWriter();
        IngestPipeline pipeline = open(config().withBatch(100, Duration.ofSeconds(30)), writer,
                new SimpleMeterRegistry());
        submitSpans(pipeline, 2, 1).get(5, TimeUnit.SECONDS);
        submitSpans(pipeline, 2, 2).get(5, TimeUnit.SECONDS);

        pipeline.close();

        // close() flushed the batch that was waiting for its delay, and storage holds everything.
        assertThat(writer.itemCount()).isEqualTo(4);
        assertThat(writer.durableWalSequence()).isEqualTo(2);
        assertThat(segments()).isEmpty();
        assertThat(pipeline.isReady()).isFalse();

        IngestPipeline reopened = open(config(), writer, new SimpleMeterRegistry());
        submitSpans(reopened, 1, 3).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.itemCount() == 5);
        assertThat(writer.batches()).extracting(WriteBatch::walSequence).containsExactly(2L, 3L);
    }

    @Test
    void replay_manyRecordsOverTheQueueBound_waitsForStorageInsteadOfFillingMemory() throws Exception {
        RecordingBatchWriter crashed = new RecordingBatchWriter().failAlways(true);
        IngestPipeline first = open(config().withMaxQueuedItems(1000), crashed, new SimpleMeterRegistry());
        for (int i = 0; i < 30; i++) {
            submitSpans(first, 10, i).get(5, TimeUnit.SECONDS);
        }
        first.close(Duration.ofMillis(100));

        RecordingBatchWriter restarted = new RecordingBatchWriter();
        IngestPipeline second = open(config().withMaxQueuedItems(25), restarted, new SimpleMeterRegistry());

        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.itemCount() == 300);
        assertThat(restarted.spans()).extracting(Span::traceId).hasSize(300);
        assertThat(second.queuedItems()).isLessThanOrEqualTo(25);
    }

    @Test
    void submit_afterClose_isRefused() throws Exception {
        IngestPipeline pipeline = open(config(), new RecordingBatchWriter(), new SimpleMeterRegistry());
        pipeline.close();

        assertThatThrownBy(() -> submitSpans(pipeline, 1, 1).get())
                .cause().isInstanceOf(IngestUnavailableException.class)
                .hasMessageContaining("shutting down");
    }

    @Test
    void submit_emptyRequest_succeedsWithoutTouchingTheLog() throws Exception {
        IngestPipeline pipeline = open(config(), new RecordingBatchWriter(), new SimpleMeterRegistry());

        pipeline.submit(Signal.LOGS, new byte[0], TelemetryItems.EMPTY).get(5, TimeUnit.SECONDS);

        assertThat(segments()).isEmpty();
    }

    @Test
    void storageOutage_acknowledgesWhileTheLogHasRoom_thenBackpressure_thenStoresEverythingOnce() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingBatchWriter writer = new RecordingBatchWriter().failAlways(true);
        // Small log limit: it fills after a few dozen requests.
        IngestConfig config = config().withWriters(2, 2).withLimits(64L * 1024 * 1024, 64 * 1024);
        IngestPipeline pipeline = open(config, writer, meters);

        int acknowledged = 0;
        IngestUnavailableException refusal = null;
        for (int i = 0; i < 500 && refusal == null; i++) {
            try {
                submitSpans(pipeline, 10, 1000 + i).get(5, TimeUnit.SECONDS);
                acknowledged++;
            } catch (ExecutionException e) {
                refusal = (IngestUnavailableException) e.getCause();
            }
        }

        // Far more than memory would hold at once was acknowledged into the log, then the log said stop.
        assertThat(acknowledged).isGreaterThan(20);
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(IngestUnavailableException.Reason.WAL_FULL);
        assertThat(refusal.retryAfter()).isPositive();
        assertThat(writer.itemCount()).isZero();
        assertThat(pipeline.isReady()).isTrue();
        assertThat(meters.get("otel.rejected.items").tags("reason", "wal_full").counter().count()).isPositive();
        // The log may fill before the first batch ran out of attempts (100 ms of backoff): parking follows.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("otel.storage.write.parked").counter().count() > 0);

        writer.failAlways(false);
        int expected = acknowledged * 10;
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.itemCount() >= expected);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(writer.spans()).hasSize(expected);
        assertThat(writer.spans()).extracting(Span::spanId).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.parkedRanges().isEmpty());
        assertThat(writer.storedWalRanges().ranges()).containsExactly(new WalRange(1, acknowledged));

        // And it takes new requests again, through memory.
        submitSpans(pipeline, 10, 1).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.itemCount() == expected + 10);
    }

    @Test
    void memoryLimit_pastTheSoftLimit_refusesWithBackpressure_andLaterAccepts() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingBatchWriter writer = new RecordingBatchWriter().hold();
        IngestConfig config = config().withLimits(1024 * 1024, 1024L * 1024 * 1024);
        IngestPipeline pipeline = open(config, writer, meters);

        IngestUnavailableException refusal = null;
        int acknowledged = 0;
        for (int i = 0; i < 1000 && refusal == null; i++) {
            try {
                submitSpans(pipeline, 20, 2000 + i).get(5, TimeUnit.SECONDS);
                acknowledged++;
            } catch (ExecutionException e) {
                refusal = (IngestUnavailableException) e.getCause();
            }
        }

        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(IngestUnavailableException.Reason.MEMORY_LIMIT);
        assertThat(pipeline.memoryBytes()).isLessThanOrEqualTo(config.memorySoftLimitBytes());
        assertThat(meters.get("otel.ingest.memory.used").gauge().value()).isPositive();
        assertThat(meters.get("otel.ingest.memory.limit").gauge().value()).isEqualTo(1024 * 1024);

        writer.release();
        int expected = acknowledged * 20;
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.itemCount() == expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.memoryBytes() == 0);
        submitSpans(pipeline, 20, 1).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.itemCount() == expected + 20);
        assertThat(writer.spans()).extracting(Span::spanId).doesNotHaveDuplicates();
    }

    @Test
    void restart_afterOutOfOrderCommitsAndParkedBatches_replaysOnlyWhatIsMissing() throws Exception {
        RecordingBatchWriter down = new RecordingBatchWriter().failAlways(true);
        IngestConfig config = config().withWriters(2, 1);
        IngestPipeline first = open(config, down, new SimpleMeterRegistry());
        for (int i = 0; i < 6; i++) {
            submitSpans(first, 5, 3000 + i).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.parkedRanges().isEmpty());
        first.close(Duration.ofMillis(500));
        opened.remove(first);

        // A storage that already holds records 2..3 (committed out of order before the crash).
        RecordingBatchWriter partial = new RecordingBatchWriter();
        partial.write(new WriteBatch(OtlpConverter.traces(OtlpFixtures.manySpans(5, 3001)).spans(), List.of(),
                List.of(), 2, 2)).get();
        partial.write(new WriteBatch(OtlpConverter.traces(OtlpFixtures.manySpans(5, 3002)).spans(), List.of(),
                List.of(), 3, 3)).get();
        IngestPipeline second = open(config, partial, new SimpleMeterRegistry());

        await().atMost(Duration.ofSeconds(10)).until(() -> partial.itemCount() == 30);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(partial.spans()).hasSize(30);
        assertThat(partial.spans()).extracting(Span::spanId).doesNotHaveDuplicates();
        assertThat(partial.storedWalRanges().ranges()).containsExactly(new WalRange(1, 6));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.parkedRanges().isEmpty());
    }
}
