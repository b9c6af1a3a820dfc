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
import io.otelservices.storage.WalRange;
import io.otelservices.storage.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the queue of logged records into storage writes: one dispatcher thread gathers items in write-ahead-log
 * order into a batch until it holds {@code maxItems} or its first item waited {@code maxDelay}, and hands it to one of
 * {@code writers} writer threads. A writer retries a failed write with exponential backoff (100 ms doubling, at most
 * 10 s apart) up to {@code maxAttempts} times; a batch that still fails is <em>parked</em>: its items leave memory
 * and the listener is told, so that the records are read back from the write-ahead log and retried later. Nothing
 * acknowledged is ever dropped.
 *
 * <p>The items of one record are never split across batches, and a batch holds consecutive records only (a gap in the
 * sequence ends the batch), so its {@link WriteBatch#walRange()} claims exactly its records; with several writers,
 * batches may commit out of order, which the storage SPI's ranges allow.
 *
 * <p>{@link #enqueue} and {@link #resubmit} are thread-safe; {@link #enqueue} callers must enqueue in sequence order.
 */
public final class StorageBatcher {

    private static final Logger log = LoggerFactory.getLogger(StorageBatcher.class);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final SequencedItems WAKE_UP = new SequencedItems(-1, TelemetryItems.EMPTY, 0);
    private static final String TRACES_TABLE = "otel_traces";
    private static final String LOGS_TABLE = "otel_logs";

    /** Told about each batch's outcome, on a writer thread. */
    public interface Listener {
        /** Every record of {@code range} is in storage. */
        void stored(WalRange range, int itemCount);

        /** The batch failed {@code maxAttempts} times; its items are dropped from memory and stay in the log. */
        void parked(WalRange range, int itemCount);
    }

    private final BatchWriter writer;
    private final int maxItems;
    private final long maxDelayNanos;
    private final int maxAttempts;
    private final Listener listener;
    private final LinkedBlockingQueue<SequencedItems> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private final ExecutorService writerPool;
    private final Semaphore writerSlots;
    private final int writers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(30));

    private final Timer writeTimer;
    private final DistributionSummary batchSize;
    private final Counter retries;
    private final Counter parkedBatches;
    private final Counter[] okRows;
    private final Counter[] errorRows;

    private volatile boolean stopping;
    private volatile boolean abandoned;

    // Owned by the dispatcher thread.
    private List<Span> spans = new ArrayList<>();
    private List<LogRecord> logs = new ArrayList<>();
    private List<MetricPoint> points = new ArrayList<>();
    private long firstSequence = -1;
    private long lastSequence = -1;

    public StorageBatcher(BatchWriter writer, int maxItems, Duration maxDelay, int writers, int maxAttempts,
            MeterRegistry meters, Listener listener) {
        this.writer = requireNonNull(writer, "writer");
        if (maxItems <= 0) {
            throw new IllegalArgumentException("maxItems: " + maxItems + " (expected: > 0)");
        }
        if (writers <= 0) {
            throw new IllegalArgumentException("writers: " + writers + " (expected: > 0)");
        }
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: > 0)");
        }
        this.maxItems = maxItems;
        this.maxDelayNanos = requireNonNull(maxDelay, "maxDelay").toNanos();
        this.writers = writers;
        this.maxAttempts = maxAttempts;
        this.listener = requireNonNull(listener, "listener");
        this.writeTimer = Timer.builder("otel.storage.write.duration")
                .description("Time of one storage batch write attempt, successful or not")
                .publishPercentileHistogram()
                .register(meters);
        this.batchSize = DistributionSummary.builder("otel.batch.size")
                .description("Items per storage batch")
                .baseUnit("items")
                .register(meters);
        this.retries = Counter.builder("otel.storage.write.retries")
                .description("Storage write attempts after a failed one")
                .register(meters);
        this.parkedBatches = Counter.builder("otel.storage.write.parked")
                .description("Batches that failed every attempt and wait in the write-ahead log for a later retry")
                .baseUnit("batches")
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
        this.writerSlots = new Semaphore(writers);
        AtomicInteger threadNumber = new AtomicInteger();
        this.writerPool = Executors.newFixedThreadPool(writers, runnable -> {
            Thread thread = new Thread(runnable, "otel-storage-writer-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = new Thread(this::run, "otel-storage-batcher");
        this.dispatcher.setDaemon(true);
    }

    private static Counter rowsCounter(MeterRegistry meters, String table, String status) {
        return Counter.builder("otel.storage.writes")
                .description("Rows handed to storage, by table and outcome (error counts every failed attempt)")
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
        dispatcher.start();
    }

    /** Queues the items of one record; records must come in sequence order. */
    public void enqueue(SequencedItems items) {
        requireNonNull(items, "items");
        queue.add(items);
    }

    /**
     * Writes a parked batch again, read back from the write-ahead log, as one batch with its original range. Waits
     * for a free writer; the outcome goes to the listener like any batch's.
     */
    public void resubmit(WalRange range, TelemetryItems items) throws InterruptedException {
        requireNonNull(range, "range");
        requireNonNull(items, "items");
        writerSlots.acquire();
        if (abandoned) {
            writerSlots.release();
            return;
        }
        submit(new WriteBatch(items.spans(), items.logs(), items.metricPoints(), range.first(), range.last()));
    }

    /** Whether the dispatcher thread runs. */
    public boolean isAlive() {
        return dispatcher.isAlive();
    }

    /** Batches being written or waiting between attempts. */
    public int batchesInFlight() {
        return inFlight.get();
    }

    /**
     * Writes what is queued and stops, waiting at most {@code timeout}. Returns {@code true} when everything was
     * stored or parked; otherwise the batcher gives up (the rest stays in the write-ahead log for the next start).
     */
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopping = true;
        queue.add(WAKE_UP);
        LockSupport.unpark(dispatcher);
        boolean interrupted = false;
        while (dispatcher.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                dispatcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        writerPool.shutdown();
        boolean drained = !dispatcher.isAlive();
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            drained &= writerPool.awaitTermination(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            drained = false;
        }
        if (!drained) {
            abandoned = true;
            dispatcher.interrupt();
            writerPool.shutdownNow();
            try {
                dispatcher.join(1000);
                writerPool.awaitTermination(1, TimeUnit.SECONDS);
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
                    if (next == WAKE_UP) {
                        continue;
                    }
                    if (next.sequence() != lastSequence + 1) {
                        // A gap (records kept only in the log): a batch's range must hold every record it claims.
                        dispatchBatch();
                        deadline = next.queuedAtNanos() + maxDelayNanos;
                    }
                    add(next);
                }
                dispatchBatch();
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
        if (firstSequence < 0) {
            firstSequence = record.sequence();
        }
        lastSequence = record.sequence();
    }

    private int itemCount() {
        return spans.size() + logs.size() + points.size();
    }

    /** Hands the gathered batch to a writer, waiting for a free one (which is what pushes back on the queue). */
    private void dispatchBatch() throws InterruptedException {
        WriteBatch batch = new WriteBatch(spans, logs, points, firstSequence, lastSequence);
        spans = new ArrayList<>();
        logs = new ArrayList<>();
        points = new ArrayList<>();
        firstSequence = -1;
        lastSequence = -1;
        writerSlots.acquire();
        submit(batch);
    }

    /** Runs {@code batch} on the writer pool; the caller holds a writer slot, which the writer releases. */
    private void submit(WriteBatch batch) {
        inFlight.incrementAndGet();
        try {
            writerPool.execute(() -> {
                try {
                    writeWithRetry(batch);
                } finally {
                    inFlight.decrementAndGet();
                    writerSlots.release();
                }
            });
        } catch (RuntimeException e) {
            // The pool is shut down: the batch stays in the write-ahead log for the next start.
            inFlight.decrementAndGet();
            writerSlots.release();
        }
    }

    private void writeWithRetry(WriteBatch batch) {
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
                Thread.currentThread().interrupt();
                return; // abandoned: the batch stays in the write-ahead log
            } catch (RuntimeException e) {
                failure = e;
            }
            writeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (failure == null) {
                count(okRows, rows);
                batchSize.record(count);
                if (attempt > 1) {
                    log.atInfo().addKeyValue("attempts", attempt).addKeyValue("walRange", batch.walRange())
                            .log("storage write succeeded after retries");
                }
                failureLog.reset();
                listener.stored(batch.walRange(), count);
                return;
            }
            count(errorRows, rows);
            boolean lastAttempt = attempt >= maxAttempts || stopping;
            long suppressed = failureLog.tryAcquire();
            if (suppressed >= 0) {
                log.atWarn().setCause(failure)
                        .addKeyValue("attempt", attempt)
                        .addKeyValue("items", count)
                        .addKeyValue("walRange", batch.walRange())
                        .addKeyValue("suppressed", suppressed)
                        .log(lastAttempt
                                ? "storage write failed; parking the batch (its data stays in the write-ahead log)"
                                : "storage write failed; retrying");
            }
            if (lastAttempt) {
                parkedBatches.increment();
                listener.parked(batch.walRange(), count);
                return;
            }
            retries.increment();
            if (!sleep(backoffNanos)) {
                return;
            }
            backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF.toNanos());
        }
    }

    /** Sleeps unless abandoned first; false when abandoned or interrupted. */
    private boolean sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while (!abandoned && !stopping && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !abandoned;
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

    /** The number of writer threads. */
    public int writers() {
        return writers;
    }
}
