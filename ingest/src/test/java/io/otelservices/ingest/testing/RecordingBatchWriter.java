package io.otelservices.ingest.testing;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.StoredWalRanges;
import io.otelservices.storage.WalRange;
import io.otelservices.storage.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BatchWriter} fake that records the batches it stores, and can be told to fail or to hold writes.
 * It keeps the stored write-ahead-log ranges as a real backend would.
 */
public final class RecordingBatchWriter implements BatchWriter {

    private final List<WriteBatch> batches = new CopyOnWriteArrayList<>();
    private StoredWalRanges stored; // guarded by this
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int failuresLeft;
    private volatile boolean failAlways;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public RecordingBatchWriter() {
        this(0);
    }

    public RecordingBatchWriter(long durableSequence) {
        this.stored = durableSequence == 0 ? StoredWalRanges.empty()
                : StoredWalRanges.of(List.of(new WalRange(1, durableSequence)));
    }

    /** The next {@code count} writes fail. */
    public RecordingBatchWriter failNext(int count) {
        failuresLeft = count;
        return this;
    }

    /** Every write fails from now on (a storage that is down, or a process about to crash). */
    public RecordingBatchWriter failAlways(boolean fail) {
        failAlways = fail;
        return this;
    }

    /** Writes wait for {@link #release()} before they are stored. */
    public RecordingBatchWriter hold() {
        gate = new CompletableFuture<>();
        return this;
    }

    public void release() {
        gate.complete(null);
    }

    @Override
    public CompletableFuture<Void> write(WriteBatch batch) {
        attempts.incrementAndGet();
        return gate.thenCompose(ignored -> {
            if (failAlways) {
                return CompletableFuture.failedFuture(new IllegalStateException("storage down (test)"));
            }
            synchronized (this) {
                if (failuresLeft > 0) {
                    failuresLeft--;
                    return CompletableFuture.failedFuture(new IllegalStateException("storage hiccup (test)"));
                }
            }
            synchronized (this) {
                batches.add(batch);
                if (batch.walRange() != null) {
                    stored = stored.plus(batch.walRange());
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public synchronized StoredWalRanges storedWalRanges() {
        return stored;
    }

    public List<WriteBatch> batches() {
        return List.copyOf(batches);
    }

    public int attempts() {
        return attempts.get();
    }

    public List<Span> spans() {
        List<Span> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.spans()));
        return all;
    }

    public List<LogRecord> logs() {
        List<LogRecord> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.logs()));
        return all;
    }

    public List<MetricPoint> metricPoints() {
        List<MetricPoint> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.metricPoints()));
        return all;
    }

    public int itemCount() {
        return batches.stream().mapToInt(WriteBatch::itemCount).sum();
    }
}
