package io.otelservices.storage.memory;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.CheckResult;
import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.StoredWalRanges;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The reference backend: keeps everything in memory, forgets it on {@link #close()}, and implements the SPI exactly
 * as its javadoc says. Used by query and ingest tests and as the yardstick the contract suite is first run against.
 *
 * <p>Thread-safe: writes take a write lock, reads a read lock, so a reader sees a batch either whole or not at all.
 * Every method does its work on the calling thread and returns an already completed future.
 *
 * <p>Orders the SPI leaves open are fixed here, and the other backends follow them: traces with the same latest
 * matching start come by trace id, ascending; a trace without a root span takes its root from the earliest span
 * (ties by span id); strings in log tie-breaks compare by code point, which is the byte order of their UTF-8 text.
 */
public final class InMemoryStorage implements StorageBackend {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    // Guarded by lock.
    private final List<Span> spans = new ArrayList<>();
    private final Map<String, List<Span>> spansByTraceId = new HashMap<>();
    private final List<LogRecord> logs = new ArrayList<>();
    private final List<MetricPoint> metricPoints = new ArrayList<>();
    private StoredWalRanges storedWalRanges = StoredWalRanges.empty();
    private boolean closed;

    private final BatchWriter writer = new Writer();
    private final TraceReader traces = new InMemoryTraceReader(this);
    private final LogReader logReader = new InMemoryLogReader(this);
    private final SeriesReader series = new InMemorySeriesReader(this);
    private final DependencyReader dependencies = new InMemoryDependencyReader(this);

    /** A new, empty and open storage. */
    public InMemoryStorage() {}

    @Override
    public BatchWriter writer() {
        return writer;
    }

    @Override
    public TraceReader traces() {
        return traces;
    }

    @Override
    public LogReader logs() {
        return logReader;
    }

    @Override
    public SeriesReader series() {
        return series;
    }

    @Override
    public DependencyReader dependencies() {
        return dependencies;
    }

    @Override
    public CheckResult check() {
        lock.readLock().lock();
        try {
            return closed ? CheckResult.failed(closedException()) : CheckResult.OK;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Always {@code false}: this backend never sheds load. */
    @Override
    public boolean isOverCapacity(Throwable error) {
        return false;
    }

    /** Drops all data; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            spans.clear();
            spansByTraceId.clear();
            logs.clear();
            metricPoints.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code query} under the read lock and wraps its result or failure in a completed future. */
    <T> CompletableFuture<T> read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            return CompletableFuture.completedFuture(query.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** All spans in write order; call only under {@link #read(Supplier)}. */
    List<Span> spans() {
        return spans;
    }

    /** The spans of one trace in write order, or {@code null}; call only under {@link #read(Supplier)}. */
    List<Span> spansOfTrace(String traceId) {
        return spansByTraceId.get(traceId);
    }

    /** All log records in write order; call only under {@link #read(Supplier)}. */
    List<LogRecord> logRecords() {
        return logs;
    }

    /** All metric points in write order; call only under {@link #read(Supplier)}. */
    List<MetricPoint> metricPoints() {
        return metricPoints;
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("in-memory storage is closed");
    }

    private final class Writer implements BatchWriter {
        @Override
        public CompletableFuture<Void> write(WriteBatch batch) {
            requireNonNull(batch, "batch");
            lock.writeLock().lock();
            try {
                if (closed) {
                    return CompletableFuture.failedFuture(closedException());
                }
                for (Span span : batch.spans()) {
                    spans.add(span);
                    spansByTraceId.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span);
                }
                logs.addAll(batch.logs());
                metricPoints.addAll(batch.metricPoints());
                if (batch.walRange() != null) {
                    storedWalRanges = storedWalRanges.plus(batch.walRange());
                }
                return CompletableFuture.completedFuture(null);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public StoredWalRanges storedWalRanges() {
            lock.readLock().lock();
            try {
                return storedWalRanges;
            } finally {
                lock.readLock().unlock();
            }
        }
    }
}
