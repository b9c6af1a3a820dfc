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
 */
public record IngestConfig(
        Path walDirectory,
        long maxRequestBytes,
        int batchMaxItems,
        Duration batchMaxDelay,
        long walSegmentBytes,
        int maxQueuedItems) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_BATCH_MAX_ITEMS = 10_000;
    public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofSeconds(1);
    public static final long DEFAULT_WAL_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_QUEUED_ITEMS = 200_000;

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
    }

    /** The defaults: 16 MiB requests, batches of 10,000 items or 1 s, 64 MiB segments, 200,000 queued items. */
    public static IngestConfig defaults(Path walDirectory) {
        return new IngestConfig(walDirectory, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_BATCH_MAX_ITEMS,
                DEFAULT_BATCH_MAX_DELAY, DEFAULT_WAL_SEGMENT_BYTES, DEFAULT_MAX_QUEUED_ITEMS);
    }

    /** A copy with another {@link #maxRequestBytes()}. */
    public IngestConfig withMaxRequestBytes(long maxRequestBytes) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems);
    }

    /** A copy with other batch limits. */
    public IngestConfig withBatch(int batchMaxItems, Duration batchMaxDelay) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems);
    }

    /** A copy with another {@link #walSegmentBytes()}. */
    public IngestConfig withWalSegmentBytes(long walSegmentBytes) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems);
    }

    /** A copy with another {@link #maxQueuedItems()}. */
    public IngestConfig withMaxQueuedItems(int maxQueuedItems) {
        return new IngestConfig(walDirectory, maxRequestBytes, batchMaxItems, batchMaxDelay, walSegmentBytes,
                maxQueuedItems);
    }
}
