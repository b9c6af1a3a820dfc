package io.otelservices.ingest.pipeline;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.otelservices.ingest.TelemetryItems;
import io.otelservices.ingest.logging.LogThrottle;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.Span;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single storage writer thread: takes items in write-ahead-log order, gathers them into a batch until it
 * holds {@code maxItems} or its first item waited {@code maxDelay}, and hands the batch to the
 * {@link BatchWriter}, waiting for it. A failed write is retried with exponential backoff (100 ms doubling to
 * 10 s) for as long as the batcher runs; the data stays in the write-ahead log meanwhile.
 *
 * <p>The items of one record are never split across batches, so a batch's {@link WriteBatch#walSequence()} (its
 * last record's sequence) is exact: every record up to it is stored once the write succeeds.
 *
 * <p>{@link #enqueue} is thread-safe; the caller must enqueue in sequence order.
 */
public final class StorageBatcher {

    private static final Logger log = LoggerFactory.getLogger(StorageBatcher.class);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final SequencedItems WAKE_UP = new SequencedItems(-1, TelemetryItems.EMPTY, 0);
    private static final String TRACES_TABLE = "otel_traces";
    private static final String LOGS_TABLE = "otel_logs";

    /** Told about each stored batch, on the batcher thread. */
    @FunctionalInterface
    public interface StoredListener {
        void stored(long walSequence, int itemCount);
    }

    private final BatchWriter writer;
    private final int maxItems;
    private final long maxDelayNanos;
    private final StoredListener listener;
    private final LinkedBlockingQueue<SequencedItems> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(30));

    private final Timer writeTimer;
    private final DistributionSummary batchSize;
    private final Counter[] okRows;
    private final Counter[] errorRows;

    private volatile boolean stopping;
    private volatile boolean abandoned;

    // Owned by the batcher thread.
    private final List<Span> spans = new ArrayList<>();
    private final List<LogRecord> logs = new ArrayList<>();
    private final List<MetricPoint> points = new ArrayList<>();
    private long lastSequence = -1;

    public StorageBatcher(BatchWriter writer, int maxItems, Duration maxDelay, MeterRegistry meters,
            StoredListener listener) {
        this.writer = requireNonNull(writer, "writer");
        if (maxItems <= 0) {
            throw new IllegalArgumentException("maxItems: " + maxItems + " (expected: > 0)");
        }
        this.maxItems = maxItems;
        this.maxDelayNanos = requireNonNull(maxDelay, "maxDelay").toNanos();
        this.listener = requireNonNull(listener, "listener");
        this.writeTimer = Timer.builder("otel.storage.write.duration")
                .description("Time of one storage batch write, successful or not")
                .publishPercentileHistogram()
                .register(meters);
        this.batchSize = DistributionSummary.builder("otel.batch.size")
                .description("Items per storage batch")
                .baseUnit("items")
                .register(meters);
        // One slot per metric type, then traces, then logs.
        int tables = MetricType.values().length + 2;
        this.okRows = new Counter[tables];
        this.errorRows = new Counter[tables];
        for (int i = 0; i < tables; i++) {
            String table = tableName(i);
            okRows[i] = rowsCounter(meters, table, "ok");
            errorRows[i] = rowsCounter(meters, table, "error");
        }
        this.thread = new Thread(this::run, "otel-storage-batcher");
        this.thread.setDaemon(true);
    }

    private static Counter rowsCounter(MeterRegistry meters, String table, String status) {
        return Counter.builder("otel.storage.writes")
                .description("Rows handed to storage, by table and outcome")
                .tag("table", table)
                .tag("status", status)
                .register(meters);
    }

    private static String tableName(int slot) {
        MetricType[] types = MetricType.values();
        if (slot < types.length) {
            return types[slot].tableName();
        }
        return slot == types.length ? TRACES_TABLE : LOGS_TABLE;
    }

    public void start() {
        thread.start();
    }

    /** Queues the items of one record; records must come in sequence order. */
    public void enqueue(SequencedItems items) {
        requireNonNull(items, "items");
        queue.add(items);
    }

    /** Whether the batcher thread runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Writes what is queued and stops, waiting at most {@code timeout}. Returns {@code true} when everything was
     * stored; otherwise the batcher gives up (the rest stays in the write-ahead log for the next start).
     */
    public boolean shutdown(Duration timeout) {
        stopping = true;
        queue.add(WAKE_UP);
        LockSupport.unpark(thread);
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        boolean drained = !thread.isAlive();
        if (!drained) {
            abandoned = true;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    private void run() {
        try {
            while (!abandoned) {
                SequencedItems first = takeFirst();
                if (first == null) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                add(first);
                long deadline = first.queuedAtNanos() + maxDelayNanos;
                while (itemCount() < maxItems) {
                    SequencedItems next = stopping ? queue.poll() : pollUntil(deadline);
                    if (next == null) {
                        if (stopping || System.nanoTime() - deadline >= 0) {
                            break;
                        }
                        continue;
                    }
                    if (next != WAKE_UP) {
                        add(next);
                    }
                }
                if (!writeWithRetry()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // shutdown() gave up on us: what was not stored stays in the write-ahead log.
        } catch (Throwable t) {
            log.atError().setCause(t).log("storage batcher thread died; ingest is no longer ready");
        }
    }

    private SequencedItems takeFirst() throws InterruptedException {
        SequencedItems first = stopping ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
        return first == WAKE_UP ? null : first;
    }

    private SequencedItems pollUntil(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        if (wait <= 0) {
            return queue.poll();
        }
        return queue.poll(wait, TimeUnit.NANOSECONDS);
    }

    private void add(SequencedItems record) {
        TelemetryItems items = record.items();
        spans.addAll(items.spans());
        logs.addAll(items.logs());
        points.addAll(items.metricPoints());
        lastSequence = record.sequence();
    }

    private int itemCount() {
        return spans.size() + logs.size() + points.size();
    }

    /** Writes the gathered batch until it succeeds; false when abandoned first. */
    private boolean writeWithRetry() throws InterruptedException {
        WriteBatch batch = new WriteBatch(spans, logs, points, lastSequence);
        int count = batch.itemCount();
        long[] rows = rowsPerTable(batch);
        long backoffNanos = INITIAL_BACKOFF.toNanos();
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                CompletableFuture<Void> future = writer.write(batch);
                future.get();
            } catch (ExecutionException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            } catch (InterruptedException e) {
                if (abandoned) {
                    throw e;
                }
                failure = e;
            } catch (RuntimeException e) {
                failure = e;
            }
            writeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (failure == null) {
                count(okRows, rows);
                batchSize.record(count);
                if (attempt > 1) {
                    log.atInfo().addKeyValue("attempts", attempt).addKeyValue("walSequence", lastSequence)
                            .log("storage write succeeded after retries");
                }
                failureLog.reset();
                spans.clear();
                logs.clear();
                points.clear();
                listener.stored(batch.walSequence(), count);
                return true;
            }
            count(errorRows, rows);
            long suppressed = failureLog.tryAcquire();
            if (suppressed >= 0) {
                log.atWarn().setCause(failure)
                        .addKeyValue("attempt", attempt)
                        .addKeyValue("items", count)
                        .addKeyValue("walSequence", lastSequence)
                        .addKeyValue("retryInMillis", TimeUnit.NANOSECONDS.toMillis(backoffNanos))
                        .addKeyValue("suppressed", suppressed)
                        .log("storage write failed; retrying (the data stays in the write-ahead log)");
            }
            sleep(backoffNanos);
            if (abandoned) {
                return false;
            }
            backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF.toNanos());
        }
    }

    private void sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left;
        while (!abandoned && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static long[] rowsPerTable(WriteBatch batch) {
        MetricType[] types = MetricType.values();
        long[] rows = new long[types.length + 2];
        for (MetricPoint point : batch.metricPoints()) {
            rows[point.type().ordinal()]++;
        }
        rows[types.length] = batch.spans().size();
        rows[types.length + 1] = batch.logs().size();
        return rows;
    }

    private static void count(Counter[] counters, long[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] > 0) {
                counters[i].increment(rows[i]);
            }
        }
    }
}
