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
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest path behind the receivers: admission against the queue bound, the write-ahead log (a request is
 * acknowledged only once it is on disk), and the single storage writer thread that batches items in log order.
 *
 * <p>{@link #open} replays what the log holds beyond the storage's durable sequence before it returns, so storage
 * receives every acknowledged item exactly once across restarts. Thread-safe.
 */
public final class IngestPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    /** How long {@link #close()} waits for queued items to reach storage. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration WAL_RETRY_AFTER = Duration.ofSeconds(5);

    private final IngestConfig config;
    private final MeterRegistry meters;
    private final WriteAheadLog wal;
    private final StorageBatcher batcher;
    private final AtomicLong queuedItems = new AtomicLong();
    private final Object queueMonitor = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Counter receivedSpans;
    private final Counter receivedLogRecords;
    private final Counter receivedMetricPoints;

    private IngestPipeline(IngestConfig config, WriteAheadLog wal, BatchWriter writer, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.wal = wal;
        this.batcher = new StorageBatcher(writer, config.batchMaxItems(), config.batchMaxDelay(), meters,
                this::stored);
        this.receivedSpans = Counter.builder("otel.received.spans")
                .description("Spans acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        this.receivedLogRecords = Counter.builder("otel.received.log.records")
                .description("Log records acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        this.receivedMetricPoints = Counter.builder("otel.received.metric.points")
                .description("Metric data points acknowledged to clients (durable in the write-ahead log)")
                .register(meters);
        Gauge.builder("otel.queue.size", queuedItems, AtomicLong::get)
                .description("Items accepted but not yet in storage")
                .baseUnit("items")
                .strongReference(true)
                .register(meters);
    }

    /**
     * Opens the write-ahead log in {@link IngestConfig#walDirectory()}, starts the storage writer thread and
     * queues every logged record above {@link BatchWriter#durableWalSequence()} for storage before returning.
     *
     * @throws IOException when the write-ahead log cannot be opened or read
     */
    public static IngestPipeline open(IngestConfig config, BatchWriter writer, MeterRegistry meters)
            throws IOException {
        requireNonNull(config, "config");
        requireNonNull(writer, "writer");
        requireNonNull(meters, "meters");
        long durable = writer.durableWalSequence();
        WriteAheadLog wal = WriteAheadLog.open(config.walDirectory(), config.walSegmentBytes(), durable, meters);
        IngestPipeline pipeline = new IngestPipeline(config, wal, writer, meters);
        try {
            pipeline.batcher.start();
            pipeline.replay(durable);
        } catch (IOException | RuntimeException e) {
            pipeline.close(Duration.ZERO);
            throw e;
        }
        return pipeline;
    }

    private void replay(long durable) throws IOException {
        long[] replayed = new long[2]; // records, items
        wal.replay(durable, record -> {
            TelemetryItems items = decode(record);
            if (items == null || items.itemCount() == 0) {
                return;
            }
            reserveForReplay(items.itemCount());
            batcher.enqueue(new SequencedItems(record.sequence(), items));
            replayed[0]++;
            replayed[1] += items.itemCount();
        });
        log.atInfo()
                .addKeyValue("durableSequence", durable)
                .addKeyValue("records", replayed[0])
                .addKeyValue("items", replayed[1])
                .log("write-ahead log replayed");
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

    /**
     * Makes a validated request durable and queues its items for storage. The future completes once the request
     * is in the write-ahead log, or exceptionally with an {@link IngestUnavailableException} when the pipeline is
     * overloaded, closing, or cannot write its log; the request then left no trace.
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
        if (!tryReserve(count)) {
            return refuse(signal, count, new IngestUnavailableException(Reason.OVERLOADED, OVERLOAD_RETRY_AFTER,
                    "ingest is overloaded: " + queuedItems.get() + " items wait for storage (limit: "
                            + config.maxQueuedItems() + ")", null));
        }
        return wal.append(signal.walRecordType(), walPayload, sequence -> batcher.enqueue(
                new SequencedItems(sequence, items))).handle((sequence, error) -> {
                    if (error != null) {
                        release(count);
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

    private void reserveForReplay(int count) throws IOException {
        synchronized (queueMonitor) {
            while (!tryReserve(count)) {
                if (!batcher.isAlive()) {
                    throw new IOException("storage writer thread stopped during write-ahead-log replay");
                }
                try {
                    queueMonitor.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted during write-ahead-log replay", e);
                }
            }
        }
    }

    private void release(long count) {
        queuedItems.addAndGet(-count);
        synchronized (queueMonitor) {
            queueMonitor.notifyAll();
        }
    }

    private void stored(long walSequence, int itemCount) {
        release(itemCount);
        wal.markDurable(walSequence);
    }

    /** Whether requests can be taken: the write-ahead log is open and the storage writer thread alive. */
    public boolean isReady() {
        return !closed.get() && wal.isWritable() && batcher.isAlive();
    }

    /** Items acknowledged (or being made durable) but not yet in storage. */
    public long queuedItems() {
        return queuedItems.get();
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
     * and closes the write-ahead log. What could not be stored in time stays in the log for the next
     * {@link #open}. Stop the receivers' server first. Idempotent.
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
        wal.closeAppends();
        boolean drained = batcher.shutdown(flushTimeout);
        wal.close();
        if (drained) {
            log.atInfo().log("ingest pipeline closed; everything queued is in storage");
        } else {
            log.atWarn().addKeyValue("queuedItems", queuedItems.get()).addKeyValue("timeout", flushTimeout)
                    .log("ingest pipeline closed before storage took everything; the rest is replayed at next start");
        }
    }
}
