package io.otelservices.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the ingest path. Immutable; validated on construction.
 *
 * @param walDirectory where the write-ahead log keeps its segment files; created when absent
 * @param maxRequestBytes the largest request body accepted, checked on the received bytes and again after
 *     decompression (a gzip bomb is cut off at this size)
 * @param batchMaxItems a storage batch is written once it holds at least this many items (one request is never
 *     split across batches, so a batch may hold a little more)
 * @param batchMaxDelay a storage batch is written at the latest this long after its first item was queued
 * @param walSegmentBytes the write-ahead log starts a new segment file once the current one would grow past this
 * @param maxQueuedItems items acknowledged but not yet in storage beyond which new requests are refused as
 *     overloaded (HTTP 503, gRPC {@code UNAVAILABLE})
 * @param writers storage writer threads, each writing one batch at a time
 * @param maxWriteAttempts attempts at one batch before it is parked in the write-ahead log and retried later
 * @param memoryLimitBytes the memory budget of queued items (estimated from their size): past 80 % (soft) new
 *     requests are refused with backpressure; past 90 % (hard) items waiting for a batch are evicted from memory
 *     and read back from the write-ahead log later
 * @param walMaxBytes the write-ahead log's size beyond which new requests are refused (it grows while storage is
 *     down or slow)
 */
public record IngestConfig(
        Path walDirectory,
        long maxRequestBytes,
        int batchMaxItems,
        Duration batchMaxDelay,
        long walSegmentBytes,
        int maxQueuedItems,
        int writers,
        int maxWriteAttempts,
        long memoryLimitBytes,
        long walMaxBytes) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_BATCH_MAX_ITEMS = 10_000;
    public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofSeconds(1);
    public static final long DEFAULT_WAL_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_QUEUED_ITEMS = 200_000;
    public static final int DEFAULT_WRITERS = 4;
    public static final int DEFAULT_MAX_WRITE_ATTEMPTS = 5;
    public static final long DEFAULT_MEMORY_LIMIT_BYTES = 512L * 1024 * 1024;
    public static final long DEFAULT_WAL_MAX_BYTES = 8L * 1024 * 1024 * 1024;

    /** The smallest segment size accepted; small sizes only make sense in tests. */
    public static final long MIN_WAL_SEGMENT_BYTES = 1024;

    public IngestConfig {
        requireNonNull(walDirectory, "walDirectory");
        requireNonNull(batchMaxDelay, "batchMaxDelay");
        if (maxRequestBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "maxRequestBytes: " + maxRequestBytes + " (expected: > 0 and < 2 GiB)");
        }
        if (batchMaxItems <= 0) {
            throw new IllegalArgumentException("batchMaxItems: " + batchMaxItems + " (expected: > 0)");
        }
        if (batchMaxDelay.isNegative() || batchMaxDelay.isZero()) {
            throw new IllegalArgumentException("batchMaxDelay: " + batchMaxDelay + " (expected: > 0)");
        }
        if (walSegmentBytes < MIN_WAL_SEGMENT_BYTES) {
            throw new IllegalArgumentException(
                    "walSegmentBytes: " + walSegmentBytes + " (expected: >= " + MIN_WAL_SEGMENT_BYTES + ")");
        }
        if (maxQueuedItems <= 0) {
            throw new IllegalArgumentException("maxQueuedItems: " + maxQueuedItems + " (expected: > 0)");
        }
        if (writers <= 0 || writers > 256) {
            throw new IllegalArgumentException("writers: " + writers + " (expected: 1..256)");
        }
        if (maxWriteAttempts <= 0) {
            throw new IllegalArgumentException("maxWriteAttempts: " + maxWriteAttempts + " (expected: > 0)");
        }
        if (memoryLimitBytes < 1024 * 1024) {
            throw new IllegalArgumentException("memoryLimitBytes: " + memoryLimitBytes + " (expected: >= 1 MiB)");
        }
        if (walMaxBytes < 2 * walSegmentBytes) {
            throw new IllegalArgumentException("walMaxBytes: " + walMaxBytes
                    + " (expected: at least two segments, >= " + 2 * walSegmentBytes + ")");
        }
    }

    /** The settings of the first releases, with the defaults for writers, attempts, memory and log size. */
    public IngestConfig(Path walDirectory, long maxRequestBytes, int batchMaxItems, Duration batchMaxDelay,
            long walSegmentBytes, int maxQueuedItems) {
        this(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes, maxQueuedItems,
                DEFAULT_WRITERS, DEFAULT_MAX_WRITE_ATTEMPTS, DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_WAL_MAX_BYTES);
    }

    /** Past this many bytes of queued items, new requests are refused (80 % of the memory limit). */
    public long memorySoftLimitBytes() {
        return memoryLimitBytes / 10 * 8;
    }

    /** Past this many bytes of queued items, waiting items are evicted to the log (90 % of the memory limit). */
    public long memoryHardLimitBytes() {
        return memoryLimitBytes / 10 * 9;
    }

    /** The defaults: 16 MiB requests, batches of 10,000 items or 1 s, 64 MiB segments, 200,000 queued items. */
    public static IngestConfig defaults(Path walDirectory) {
        return new IngestConfig(walDirectory, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_BATCH_MAX_ITEMS,
                DEFAULT_BATCH_MAX_DELAY, DEFAULT_WAL_SEGMENT_BYTES, DEFAULT_MAX_QUEUED_ITEMS);
    }

    /** A copy with another {@link #maxRequestBytes()}. */
    public IngestConfig withMaxRequestBytes(long maxRequestBytes) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }

    /** A copy with other batch limits. */
    public IngestConfig withBatch(int batchMaxItems, Duration batchMaxDelay) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }

    /** A copy with another {@link #walSegmentBytes()}. */
    public IngestConfig withWalSegmentBytes(long walSegmentBytes) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }

    /** A copy with another number of storage writers and attempts per batch. */
    public IngestConfig withWriters(int writers, int maxWriteAttempts) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }

    /** A copy with another memory budget and write-ahead-log size limit. */
    public IngestConfig withLimits(long memoryLimitBytes, long walMaxBytes) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }

    /** A copy with another {@link #maxQueuedItems()}. */
    public IngestConfig withMaxQueuedItems(int maxQueuedItems) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems, writers, maxWriteAttempts, memoryLimitBytes, walMaxBytes);
    }
}
