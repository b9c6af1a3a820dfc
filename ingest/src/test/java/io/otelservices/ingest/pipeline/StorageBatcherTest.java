package io.otelservices.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.ingest.testing.ModelItems;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import io.otelservices.model.Span;
import io.otelservices.storage.WalRange;
import io.otelservices.storage.WriteBatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StorageBatcherTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingBatchWriter writer = new RecordingBatchWriter();
    private final List<long[]> stored = new CopyOnWriteArrayList<>();
    private final List<WalRange> parked = new CopyOnWriteArrayList<>();
    private StorageBatcher batcher;

    private StorageBatcher start(int maxItems, Duration maxDelay) {
        return start(maxItems, maxDelay, 1, 5);
    }

    private StorageBatcher start(int maxItems, Duration maxDelay, int writers, int maxAttempts) {
        batcher = new StorageBatcher(writer, maxItems, maxDelay, writers, maxAttempts, meters,
                new StorageBatcher.Listener() {
                    @Override
                    public void stored(WalRange range, int itemCount) {
                        stored.add(new long[] {range.last(), itemCount, range.first()});
                    }

                    @Override
                    public void parked(WalRange range, int itemCount) {
                        parked.add(range);
                    }
                });
        batcher.start();
        return batcher;
    }

    @AfterEach
    void stop() {
        if (batcher != null) {
            batcher.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void batches_bySize_thenTheRestOnShutdown() {
        start(10, Duration.ofSeconds(30));
        for (int i = 1; i <= 25; i++) {
            batcher.enqueue(new SequencedItems(i, ModelItems.spans("s" + i, 1)));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.batches().size() == 2);
        assertThat(writer.batches()).extracting(WriteBatch::itemCount).containsExactly(10, 10);
        assertThat(writer.batches()).extracting(WriteBatch::walSequence).containsExactly(10L, 20L);

        assertThat(batcher.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(writer.batches()).extracting(WriteBatch::itemCount).containsExactly(10, 10, 5);
        assertThat(writer.batches()).extracting(WriteBatch::walSequence).containsExactly(10L, 20L, 25L);
        assertThat(stored).extracting(s -> s[0]).containsExactly(10L, 20L, 25L);
        assertThat(writer.spans()).extracting(Span::spanName).doesNotHaveDuplicates().hasSize(25);
    }

    @Test
    void batches_byDelay_whenFewItemsCome() {
        start(1000, Duration.ofMillis(200));
        long start = System.nanoTime();
        batcher.enqueue(new SequencedItems(1, ModelItems.spans("a", 2)));
        batcher.enqueue(new SequencedItems(2, ModelItems.spans("b", 1)));

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.batches().size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(writer.batches().get(0).itemCount()).isEqualTo(3);
        assertThat(writer.batches().get(0).walSequence()).isEqualTo(2);
    }

    @Test
    void batches_neverSplitOneRecord() {
        start(5, Duration.ofSeconds(30));
        batcher.enqueue(new SequencedItems(7, ModelItems.spans("big", 8)));

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.batches().size() == 1);
        assertThat(writer.batches().get(0).itemCount()).isEqualTo(8);
        assertThat(writer.batches().get(0).walSequence()).isEqualTo(7);
    }

    @Test
    void write_failing_isRetriedUntilItSucceeds_withoutLossOrDuplicates() {
        writer.failNext(3);
        start(4, Duration.ofMillis(10));
        for (int i = 1; i <= 4; i++) {
            batcher.enqueue(new SequencedItems(i, ModelItems.spans("r" + i, 1)));
        }

        // Backoff 100 + 200 + 400 ms before the fourth attempt.
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.batches().size() == 1);
        assertThat(writer.attempts()).isEqualTo(4);
        assertThat(writer.spans()).extracting(Span::spanName).containsExactly("r1-0", "r2-0", "r3-0", "r4-0");
        assertThat(meters.get("otel.storage.writes").tags("table", "otel_traces", "status", "error").counter()
                .count()).isEqualTo(12);
        assertThat(meters.get("otel.storage.writes").tags("table", "otel_traces", "status", "ok").counter()
                .count()).isEqualTo(4);
        assertThat(meters.get("otel.storage.write.duration").timer().count()).isEqualTo(4);
        assertThat(meters.get("otel.batch.size").summary().totalAmount()).isEqualTo(4);
        assertThat(stored).hasSize(1);
    }

    @Test
    void write_failingEveryAttempt_parksTheBatchAfterMaxAttempts() {
        writer.failAlways(true);
        start(2, Duration.ofMillis(10), 1, 3);
        batcher.enqueue(new SequencedItems(1, ModelItems.spans("p1", 1)));
        batcher.enqueue(new SequencedItems(2, ModelItems.spans("p2", 1)));

        await().atMost(Duration.ofSeconds(5)).until(() -> !parked.isEmpty());
        assertThat(parked).containsExactly(new WalRange(1, 2));
        assertThat(writer.attempts()).isEqualTo(3);
        assertThat(meters.get("otel.storage.write.retries").counter().count()).isEqualTo(2);
        assertThat(meters.get("otel.storage.write.parked").counter().count()).isEqualTo(1);
        assertThat(stored).isEmpty();

        // A parked batch comes back with its range and is stored once storage works again.
        writer.failAlways(false);
        try {
            batcher.resubmit(new WalRange(1, 2), ModelItems.spans("p", 2));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 1);
        assertThat(writer.storedWalRanges().ranges()).containsExactly(new WalRange(1, 2));
    }

    @Test
    void writers_inParallel_andBatchesNeverSpanAGap() {
        writer.hold();
        start(3, Duration.ofMillis(20), 4, 5);
        // Sequence 4 is kept only in the log (spilled): no batch may claim it.
        for (long sequence : new long[] {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12}) {
            batcher.enqueue(new SequencedItems(sequence, ModelItems.spans("g" + sequence, 1)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> batcher.batchesInFlight() == 4);
        writer.release();

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.spans().size() == 11);
        assertThat(writer.storedWalRanges().ranges()).containsExactly(new WalRange(1, 3), new WalRange(5, 12));
        assertThat(writer.batches()).allSatisfy(batch ->
                assertThat(batch.itemCount()).isEqualTo(batch.walSequence() - batch.firstWalSequence() + 1));
    }

    @Test
    void shutdown_storageDown_parksWhatIsLeftWithoutWaitingForRetries() {
        writer.failAlways(true);
        start(1, Duration.ofMillis(10), 1, 1000);
        batcher.enqueue(new SequencedItems(1, ModelItems.spans("lost", 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.attempts() >= 1);

        long start = System.nanoTime();
        assertThat(batcher.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(batcher.isAlive()).isFalse();
        assertThat(stored).isEmpty();
        assertThat(parked).containsExactly(new WalRange(1, 1));
    }
}
