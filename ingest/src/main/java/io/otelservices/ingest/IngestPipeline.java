package io.otelservices.ingest;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.ingest.IngestUnavailableException.Reason;
import io.otelservices.ingest.otlp.OtlpConverter;
import io.otelservices.ingest.pipeline.SequencedItems;
import io.otelservices.ingest.pipeline.StorageBatcher;
import io.otelservices.ingest.wal.WalRecord;
import io.otelservices.ingest.wal.WriteAheadLog;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.WalRange;
import io.otelservices.storage.StoredWalRanges;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.TreeMap;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest path behind the receivers: admission (queue bound, memory budget, write-ahead-log size), the
 * write-ahead log (a request is acknowledged only once it is on disk), and the {@link StorageBatcher} that writes
 * batches in log order with a pool of writers.
 *
 * <p>Records normally travel from the log's durability callback straight into memory and on to storage. Records
 * that storage could not take ({@linkplain StorageBatcher.Listener#parked parked} batches), records replayed at
 * start-up, and new records that arrive while parked ones wait, are kept only in the log, as <em>parked ranges</em>:
 * a retrier reads them back in batch-sized chunks once there is memory for them, and hands them to the writers
 * again, backing off while storage keeps failing. So a storage outage is absorbed by the log, up to
 * {@link IngestConfig#walMaxBytes()}, and memory stays within {@link IngestConfig#memoryLimitBytes()}.
 *
 * <p>Exactly-once: storage records each batch's log range with its rows; {@link #open} starts from the ranges the
 * storage holds, and the log deletes segments only below the contiguous stored prefix. Thread-safe.
 */
public final class IngestPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    /** How long {@link #close()} waits for queued items to reach storage. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration WAL_RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration PARKED_RETRY_MIN = Duration.ofMillis(200);
    static final Duration PARKED_RETRY_MAX = Duration.ofSeconds(30);
    /**
     * Decoded items take several times their protobuf size in the heap (objects, maps, UTF-16 strings); the memory
     * budget is accounted with this factor over the logged bytes.
     */
    static final int HEAP_BYTES_PER_WIRE_BYTE = 6;
    /** Heap use (of {@code -Xmx}) past which requests are refused whatever the accounted budget says. */
    static final int HEAP_GUARD_PERCENT = 90;

    /** What a record in memory holds until storage took it. */
    private record Held(int items, long bytes) {}

    private final IngestConfig config;
    private final MeterRegistry meters;
    private final WriteAheadLog wal;
    private final StorageBatcher batcher;
    private final ConcurrentSkipListMap<Long, Held> held = new ConcurrentSkipListMap<>();
    private final AtomicLong queuedItems = new AtomicLong();
    private final AtomicLong memoryBytes = new AtomicLong();
    private final AtomicLong lastHeapGc = new AtomicLong(System.nanoTime() - 10_000_000_000L);
    private final Object parkedMonitor = new Object();
    private final TreeMap<Long, WalRange> parked = new TreeMap<>(); // guarded by parkedMonitor
    private volatile boolean hasParked;
    private StoredWalRanges completed; // guarded by this
    private final Thread retrier;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Counter receivedSpans;
    private final Counter receivedLogRecords;
    private final Counter receivedMetricPoints;
    private final Counter spilledRecords;

    private IngestPipeline(IngestConfig config, WriteAheadLog wal, BatchWriter writer, StoredWalRanges stored,
            MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.wal = wal;
        this.completed = stored;
        this.batcher = new StorageBatcher(writer, config.batchMaxItems(), config.batchMaxDelay(), config.writers(),
                config.maxWriteAttempts(), meters, new StorageBatcher.Listener() {
                    @Override
                    public void stored(WalRange range, int itemCount) {
                        IngestPipeline.this.stored(range);
                    }

                    @Override
                    public void parked(WalRange range, int itemCount) {
                        IngestPipeline.this.parked(range);
                    }
                });
        this.receivedSpans = Counter.builder("otel.received.spans")
                .description("Spans acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        this.receivedLogRecords = Counter.builder("otel.received.log.records")
                .description("Log records acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        this.receivedMetricPoints = Counter.builder("otel.received.metric.points")
                .description("Metric data points acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        this.spilledRecords = Counter.builder("otel.ingest.spilled.records")
                .description("Acknowledged records kept only in the write-ahead log until storage can take them")
                .register(meters);
        Gauge.builder("otel.queue.size", queuedItems, AtomicLong::get)
                .description("Items in memory that are acknowledged but not yet in storage")
                .baseUnit("items")
                .strongReference(true)
                .register(meters);
        Gauge.builder("otel.ingest.memory.used", memoryBytes, AtomicLong::get)
                .description("Estimated heap bytes of items in memory on their way to storage")
                .baseUnit("bytes")
                .strongReference(true)
                .register(meters);
        Gauge.builder("otel.ingest.memory.limit", config, IngestConfig::memoryLimitBytes)
                .description("The memory budget of items on their way to storage (soft limit 80 %, hard 90 %)")
                .baseUnit("bytes")
                .strongReference(true)
                .register(meters);
        Gauge.builder("otel.wal.size", wal, WriteAheadLog::sizeBytes)
                .description("Bytes of write-ahead-log segments kept")
                .baseUnit("bytes")
                .strongReference(true)
                .register(meters);
        Gauge.builder("otel.ingest.parked.ranges", this, p -> p.parkedRanges().size())
                .description("Ranges of acknowledged records waiting in the write-ahead log for storage")
                .strongReference(true)
                .register(meters);
        this.retrier = new Thread(this::retryParked, "otel-ingest-retrier");
        this.retrier.setDaemon(true);
    }

    /**
     * Opens the write-ahead log in {@link IngestConfig#walDirectory()} and starts the storage writers. Every logged
     * record that the storage does not hold ({@link BatchWriter#storedWalRanges()}) is queued for storage as a
     * parked range, read back and written in the background.
     *
     * @throws IOException when the write-ahead log cannot be opened or read
     */
    public static IngestPipeline open(IngestConfig config, BatchWriter writer, MeterRegistry meters)
            throws IOException {
        requireNonNull(config, "config");
        requireNonNull(writer, "writer");
        requireNonNull(meters, "meters");
        StoredWalRanges stored = writer.storedWalRanges();
        WriteAheadLog wal = WriteAheadLog.open(config.walDirectory(), config.walSegmentBytes(), stored.contiguous(),
                meters);
        IngestPipeline pipeline = new IngestPipeline(config, wal, writer, stored, meters);
        try {
            pipeline.findUnstored(stored);
            pipeline.batcher.start();
            pipeline.retrier.start();
        } catch (IOException | RuntimeException e) {
            pipeline.close(Duration.ZERO);
            throw e;
        }
        return pipeline;
    }

    /** Parks every logged record that storage does not hold; the retrier writes them. */
    private void findUnstored(StoredWalRanges stored) throws IOException {
        long[] run = {-1, -1}; // the current run of unstored sequences
        long[] records = new long[1];
        wal.replay(stored.contiguous(), record -> {
            long sequence = record.sequence();
            if (stored.contains(sequence)) {
                return;
            }
            records[0]++;
            if (run[0] >= 0 && sequence == run[1] + 1) {
                run[1] = sequence;
                return;
            }
            if (run[0] >= 0) {
                park(new WalRange(run[0], run[1]));
            }
            run[0] = sequence;
            run[1] = sequence;
        });
        if (run[0] >= 0) {
            park(new WalRange(run[0], run[1]));
        }
        log.atInfo()
                .addKeyValue("storedRanges", stored.ranges().size())
                .addKeyValue("contiguous", stored.contiguous())
                .addKeyValue("recordsToReplay", records[0])
                .addKeyValue("parkedRanges", parkedRanges().size())
                .log("write-ahead log opened; replaying what storage does not hold");
    }

    /**
     * Makes a validated request durable and queues its items for storage. The future completes once the request
     * is in the write-ahead log, or exceptionally with an {@link IngestUnavailableException} when the pipeline is
     * overloaded, out of memory budget or log space, closing, or cannot write its log; the request then left no
     * trace.
     *
     * @param signal which {@code Export*ServiceRequest} {@code walPayload} holds
     * @param walPayload the request as protobuf bytes, exactly the items of {@code items}
     * @param items the request's items, converted
     */
    public CompletableFuture<Void> submit(Signal signal, byte[] walPayload, TelemetryItems items) {
        requireNonNull(signal, "signal");
        requireNonNull(walPayload, "walPayload");
        requireNonNull(items, "items");
        int count = items.itemCount();
        if (count == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (closed.get()) {
            return refuse(signal, count, new IngestUnavailableException(Reason.SHUTTING_DOWN, OVERLOAD_RETRY_AFTER,
                    "ingest is shutting down", null));
        }
        if (wal.sizeBytes() + walPayload.length > config.walMaxBytes()) {
            return refuse(signal, count, new IngestUnavailableException(Reason.WAL_FULL, WAL_RETRY_AFTER,
                    "ingest is backed up: the write-ahead log holds " + wal.sizeBytes() + " bytes (limit: "
                            + config.walMaxBytes() + ") while storage catches up", null));
        }
        long bytes = (long) walPayload.length * HEAP_BYTES_PER_WIRE_BYTE;
        // While parked records wait, new ones join them in the log instead of memory: storage is failing or
        // behind, and the log, not the heap, is where acknowledged data waits.
        boolean spill = hasParked;
        if (heapNearlyFull()) {
            return refuse(signal, count, new IngestUnavailableException(Reason.MEMORY_LIMIT, OVERLOAD_RETRY_AFTER,
                    "ingest is refusing requests: the JVM heap is over " + HEAP_GUARD_PERCENT + " % full", null));
        }
        if (!spill) {
            if (memoryBytes.get() + bytes > config.memorySoftLimitBytes()) {
                return refuse(signal, count, new IngestUnavailableException(Reason.MEMORY_LIMIT,
                        OVERLOAD_RETRY_AFTER, "ingest is over its memory budget: " + memoryBytes.get()
                                + " bytes of items wait for storage (soft limit: " + config.memorySoftLimitBytes()
                                + ")", null));
            }
            if (!tryReserve(count)) {
                return refuse(signal, count, new IngestUnavailableException(Reason.OVERLOADED,
                        OVERLOAD_RETRY_AFTER, "ingest is overloaded: " + queuedItems.get()
                                + " items wait for storage (limit: " + config.maxQueuedItems() + ")", null));
            }
            memoryBytes.addAndGet(bytes);
        }
        return wal.append(signal.walRecordType(), walPayload, sequence -> {
            // On the log's writer thread, in sequence order.
            if (spill) {
                spilledRecords.increment();
                park(new WalRange(sequence, sequence));
            } else {
                held.put(sequence, new Held(count, bytes));
                batcher.enqueue(new SequencedItems(sequence, items));
            }
        }).handle((sequence, error) -> {
            if (error != null) {
                if (!spill) {
                    release(count, bytes);
                }
                Reason reason = closed.get() ? Reason.SHUTTING_DOWN : Reason.WAL_UNAVAILABLE;
                rejected(signal, reason.tagValue(), count);
                throw new CompletionException(new IngestUnavailableException(reason, WAL_RETRY_AFTER,
                        "cannot make the request durable: " + error.getMessage(), error));
            }
            receivedSpans.increment(items.spans().size());
            receivedLogRecords.increment(items.logs().size());
            receivedMetricPoints.increment(items.metricPoints().size());
            return null;
        });
    }

    /**
     * A guard behind the accounted budget, which is an estimate: when the heap itself is nearly full, refuse rather
     * than risk running out of memory. Checked after a GC hint, so that garbage alone does not refuse requests.
     */
    private boolean heapNearlyFull() {
        Runtime runtime = Runtime.getRuntime();
        long limit = runtime.maxMemory() / 100 * HEAP_GUARD_PERCENT;
        if (runtime.totalMemory() - runtime.freeMemory() < limit) {
            return false;
        }
        long now = System.nanoTime();
        long last = lastHeapGc.get();
        if (now - last > 1_000_000_000L && lastHeapGc.compareAndSet(last, now)) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory() >= limit;
    }

    private CompletableFuture<Void> refuse(Signal signal, int count, IngestUnavailableException error) {
        rejected(signal, error.reason().tagValue(), count);
        return CompletableFuture.failedFuture(error);
    }

    /** Counts items refused or rejected, on {@code otel.rejected.items{signal,reason}}. */
    public void rejected(Signal signal, String reason, long items) {
        if (items <= 0) {
            return;
        }
        Counter.builder("otel.rejected.items")
                .description("Items not accepted, by signal and reason")
                .tag("signal", signal.tagValue())
                .tag("reason", reason)
                .register(meters)
                .increment(items);
    }

    private boolean tryReserve(int count) {
        long max = config.maxQueuedItems();
        while (true) {
            long current = queuedItems.get();
            // One request larger than the bound is still taken when nothing waits, or it could never get in.
            if (current > 0 && current + count > max) {
                return false;
            }
            if (queuedItems.compareAndSet(current, current + count)) {
                return true;
            }
        }
    }

    private void release(long count, long bytes) {
        queuedItems.addAndGet(-count);
        memoryBytes.addAndGet(-bytes);
        synchronized (parkedMonitor) {
            parkedMonitor.notifyAll();
        }
    }

    /** Drops what memory holds for the records of {@code range}. */
    private void releaseHeld(WalRange range) {
        var records = held.subMap(range.first(), true, range.last(), true);
        long items = 0;
        long bytes = 0;
        for (Held h : records.values()) {
            items += h.items();
            bytes += h.bytes();
        }
        records.clear();
        release(items, bytes);
    }

    private void stored(WalRange range) {
        releaseHeld(range);
        long contiguous;
        synchronized (this) {
            completed = completed.plus(range);
            contiguous = completed.contiguous();
        }
        wal.markDurable(contiguous);
    }

    private void parked(WalRange range) {
        releaseHeld(range);
        park(range);
    }

    private void park(WalRange range) {
        synchronized (parkedMonitor) {
            // Merge with a neighbour so that spilled records form few ranges.
            var below = parked.floorEntry(range.first() - 1);
            WalRange merged = range;
            if (below != null && below.getValue().last() == range.first() - 1) {
                parked.remove(below.getKey());
                merged = new WalRange(below.getValue().first(), range.last());
            }
            parked.put(merged.first(), merged);
            hasParked = true;
            parkedMonitor.notifyAll();
        }
    }

    /** The ranges of acknowledged records that wait in the log only (a copy, in sequence order). */
    public List<WalRange> parkedRanges() {
        synchronized (parkedMonitor) {
            return List.copyOf(parked.values());
        }
    }

    /**
     * The retrier thread: takes the lowest parked range, waits for memory, reads a batch-sized chunk of it from the
     * log and hands it to the writers. Backs off (doubling up to {@link #PARKED_RETRY_MAX}) while chunks come back
     * parked, so a storage outage costs a few attempts a minute, not a busy loop.
     */
    private void retryParked() {
        long backoffNanos = 0;
        long lastParkedCount = parkedCount();
        try {
            while (!closed.get()) {
                WalRange range;
                synchronized (parkedMonitor) {
                    while (!closed.get() && (parked.isEmpty()
                            || memoryBytes.get() > config.memorySoftLimitBytes() / 2 || heapNearlyFull())) {
                        parkedMonitor.wait(100);
                    }
                    if (closed.get()) {
                        return;
                    }
                    range = parked.firstEntry().getValue();
                }
                long parkedNow = parkedCount();
                if (parkedNow > lastParkedCount) {
                    // Something came back parked since the last round: storage still fails; wait longer.
                    backoffNanos = backoffNanos == 0 ? PARKED_RETRY_MIN.toNanos()
                            : Math.min(backoffNanos * 2, PARKED_RETRY_MAX.toNanos());
                    lastParkedCount = parkedNow;
                    sleepUnlessClosed(backoffNanos);
                    continue;
                }
                resubmitChunk(range);
                if (parkedCount() == lastParkedCount) {
                    backoffNanos = 0;
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (Throwable t) {
            log.atError().setCause(t).log("ingest retrier died; parked records wait for the next start");
        }
    }

    private long parkedCount() {
        return (long) meters.counter("otel.storage.write.parked").count();
    }

    private void sleepUnlessClosed(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (parkedMonitor) {
            long left;
            while (!closed.get() && (left = deadline - System.nanoTime()) > 0) {
                parkedMonitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Reads records from the front of {@code range} until a batch is full, and writes them as one batch. */
    private void resubmitChunk(WalRange range) throws IOException, InterruptedException {
        List<io.otelservices.model.Span> spans = new ArrayList<>();
        List<io.otelservices.model.LogRecord> logs = new ArrayList<>();
        List<io.otelservices.model.MetricPoint> points = new ArrayList<>();
        long[] last = {range.first() - 1};
        long[] bytes = {0};
        int[] items = {0};
        class ChunkFull extends RuntimeException {
            ChunkFull() {
                super(null, null, false, false);
            }
        }
        try {
            wal.read(range.first(), range.last(), record -> {
                if (items[0] >= config.batchMaxItems()) {
                    throw new ChunkFull();
                }
                TelemetryItems decoded = decode(record);
                if (decoded != null) {
                    spans.addAll(decoded.spans());
                    logs.addAll(decoded.logs());
                    points.addAll(decoded.metricPoints());
                    items[0] += decoded.itemCount();
                    long recordBytes = (long) record.payload().length * HEAP_BYTES_PER_WIRE_BYTE;
                    bytes[0] += recordBytes;
                    held.put(record.sequence(), new Held(decoded.itemCount(), recordBytes));
                }
                last[0] = record.sequence();
            });
        } catch (ChunkFull full) {
            // the chunk ends before the record that did not fit
        }
        if (last[0] < range.first()) {
            // The log no longer has these records (it was emptied by hand?); nothing to write.
            log.atError().addKeyValue("range", range).log("parked records are missing from the write-ahead log");
            synchronized (parkedMonitor) {
                parked.remove(range.first());
                hasParked = !parked.isEmpty();
            }
            return;
        }
        WalRange chunk = new WalRange(range.first(), last[0]);
        queuedItems.addAndGet(items[0]);
        memoryBytes.addAndGet(bytes[0]);
        synchronized (parkedMonitor) {
            // Spilled records may have extended the range since it was read: keep its current end.
            WalRange current = parked.remove(range.first());
            long end = current != null ? current.last() : range.last();
            if (chunk.last() < end) {
                parked.put(chunk.last() + 1, new WalRange(chunk.last() + 1, end));
            }
            hasParked = !parked.isEmpty();
        }
        batcher.resubmit(chunk, new TelemetryItems(spans, logs, points));
    }

    private static TelemetryItems decode(WalRecord record) {
        Signal signal = Signal.ofWalRecordType(record.type());
        if (signal == null) {
            log.atError().addKeyValue("sequence", record.sequence()).addKeyValue("type", record.type())
                    .log("skipping write-ahead-log record of unknown type");
            return null;
        }
        try {
            return OtlpConverter.convert(signal, record.payload());
        } catch (IOException | RuntimeException e) {
            // The checksum matched, so the bytes are what was written; this is a bug, not a disk problem.
            log.atError().setCause(e).addKeyValue("sequence", record.sequence()).addKeyValue("signal", signal)
                    .log("skipping write-ahead-log record that cannot be decoded");
            return null;
        }
    }

    /** Whether requests can be taken: the write-ahead log is open and the storage writer thread alive. */
    public boolean isReady() {
        return !closed.get() && wal.isWritable() && batcher.isAlive();
    }

    /** Items in memory that are acknowledged (or being made durable) but not yet in storage. */
    public long queuedItems() {
        return queuedItems.get();
    }

    /** Estimated heap bytes of the items in memory on their way to storage. */
    public long memoryBytes() {
        return memoryBytes.get();
    }

    /** The settings this pipeline runs with. */
    public IngestConfig config() {
        return config;
    }

    /** The registry self-metrics go to; receivers add their own counters there. */
    public MeterRegistry meterRegistry() {
        return meters;
    }

    /**
     * Stops taking requests, writes what is queued to storage (waiting at most {@link #DEFAULT_CLOSE_TIMEOUT})
     * and closes the write-ahead log. What could not be stored in time, and parked records, stay in the log for the
     * next {@link #open}. Stop the receivers' server first. Idempotent.
     */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /** {@link #close()} with another bound on the wait for storage. */
    public void close(Duration flushTimeout) {
        requireNonNull(flushTimeout, "flushTimeout");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (parkedMonitor) {
            parkedMonitor.notifyAll();
        }
        wal.closeAppends();
        retrier.interrupt();
        boolean drained = batcher.shutdown(flushTimeout);
        wal.close();
        int parkedLeft = parkedRanges().size();
        if (drained && parkedLeft == 0) {
            log.atInfo().log("ingest pipeline closed; everything queued is in storage");
        } else {
            log.atWarn().addKeyValue("queuedItems", queuedItems.get()).addKeyValue("parkedRanges", parkedLeft)
                    .addKeyValue("timeout", flushTimeout)
                    .log("ingest pipeline closed before storage took everything; the rest is replayed at next start");
        }
    }
}
