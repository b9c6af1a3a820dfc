package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.storage.objectstore.ObjectStore;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Settings of the embedded DuckDB backend.
 *
 * @param dataDirectory the server's data directory; the database file is {@link #databaseFile()}
 * @param readerThreads threads (each with its own connection) that run queries; at least 1
 * @param maxPendingReads queries that may wait for a reader thread before new ones are refused as over capacity
 * @param maxPendingWrites batches that may wait for the writer thread before new ones are refused as over capacity
 * @param duckDbThreads DuckDB's own worker threads ({@code threads} setting) used inside one query
 * @param memoryLimit DuckDB's {@code memory_limit}, such as {@code 1GB} or {@code 512MiB}
 * @param blocks when hot rows are sealed into blocks, moved to the cold tier and dropped
 * @param coldTier where blocks older than {@link BlockPolicy#coldAfter()} go; {@code null} for none
 * @param exactQuantileSpans service statistics compute exact percentiles while the sealed whole hours of the range
 *     hold fewer spans than this; beyond, those hours are answered from their hourly duration sketches (±1 %)
 */
public record DuckDbConfig(
        Path dataDirectory,
        int readerThreads,
        int maxPendingReads,
        int maxPendingWrites,
        int duckDbThreads,
        String memoryLimit,
        BlockPolicy blocks,
        ColdTier coldTier,
        long exactQuantileSpans) {

    public static final int DEFAULT_READER_THREADS = 2;
    public static final int DEFAULT_MAX_PENDING_READS = 256;
    public static final int DEFAULT_MAX_PENDING_WRITES = 4;
    public static final int DEFAULT_DUCKDB_THREADS = 2;
    public static final String DEFAULT_MEMORY_LIMIT = "1GB";
    /** Exact percentiles over 200,000 spans take tens of milliseconds; sketches answer a day of 10^7 in a few. */
    public static final long DEFAULT_EXACT_QUANTILE_SPANS = 200_000;

    /**
     * The cold tier: object storage for blocks older than {@link BlockPolicy#coldAfter()}, and a local cache of the
     * cold blocks that queries read.
     *
     * @param store where cold blocks are stored, under the key {@code <table>/<day>/<file name>} (the block's path
     *     under {@link DuckDbConfig#blocksDirectory()}); owned by the caller, who closes it after the storage
     * @param cacheDirectory the cache of downloaded cold blocks; a directory only the cache writes to, outside
     *     {@link DuckDbConfig#blocksDirectory()}
     * @param cacheBytes the cache's byte budget (files that running queries read may exceed it)
     */
    public record ColdTier(ObjectStore store, Path cacheDirectory, long cacheBytes) {
        public ColdTier {
            requireNonNull(store, "store");
            requireNonNull(cacheDirectory, "cacheDirectory");
            if (cacheBytes < 1) {
                throw new IllegalArgumentException("cacheBytes: " + cacheBytes + " (expected: >= 1)");
            }
        }
    }

    private static final Pattern MEMORY_LIMIT =
            Pattern.compile("[0-9]+(\\.[0-9]+)?\\s*([KMGT]i?)?B", Pattern.CASE_INSENSITIVE);

    public DuckDbConfig {
        requireNonNull(dataDirectory, "dataDirectory");
        requireNonNull(memoryLimit, "memoryLimit");
        requireNonNull(blocks, "blocks");
        requireAtLeast("readerThreads", readerThreads, 1);
        requireAtLeast("maxPendingReads", maxPendingReads, 1);
        requireAtLeast("maxPendingWrites", maxPendingWrites, 1);
        requireAtLeast("duckDbThreads", duckDbThreads, 1);
        if (exactQuantileSpans < 0) {
            throw new IllegalArgumentException("exactQuantileSpans: " + exactQuantileSpans + " (expected: >= 0)");
        }
        if (!MEMORY_LIMIT.matcher(memoryLimit).matches()) {
            throw new IllegalArgumentException(
                    "memoryLimit: " + memoryLimit + " (expected: a size such as 1GB, 512MB or 2GiB)");
        }
        if (coldTier != null && coldTier.cacheDirectory().toAbsolutePath().normalize()
                .startsWith(dataDirectory.resolve("blocks").toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("coldTier.cacheDirectory: " + coldTier.cacheDirectory()
                    + " (expected: outside the blocks directory " + dataDirectory.resolve("blocks") + ")");
        }
    }

    /** These settings with exact service-statistics percentiles up to {@code spans} sealed spans. */
    public DuckDbConfig withExactQuantileSpans(long spans) {
        return new DuckDbConfig(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads,
                memoryLimit, blocks, coldTier, spans);
    }

    /** Settings without a cold tier. */
    public DuckDbConfig(Path dataDirectory, int readerThreads, int maxPendingReads, int maxPendingWrites,
            int duckDbThreads, String memoryLimit, BlockPolicy blocks) {
        this(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads, memoryLimit, blocks,
                null, DEFAULT_EXACT_QUANTILE_SPANS);
    }

    /** The defaults, storing under {@code dataDirectory}; no cold tier. */
    public static DuckDbConfig of(Path dataDirectory) {
        return new DuckDbConfig(dataDirectory, DEFAULT_READER_THREADS, DEFAULT_MAX_PENDING_READS,
                DEFAULT_MAX_PENDING_WRITES, DEFAULT_DUCKDB_THREADS, DEFAULT_MEMORY_LIMIT, BlockPolicy.DEFAULT);
    }

    /** {@code <dataDirectory>/duckdb/otel.duckdb}. */
    public Path databaseFile() {
        return dataDirectory.resolve("duckdb").resolve("otel.duckdb");
    }

    /** {@code <dataDirectory>/blocks}: the sealed Parquet files, {@code <table>/<day>/<hour>-<id>.parquet}. */
    public Path blocksDirectory() {
        return dataDirectory.resolve("blocks");
    }

    /** A copy with another {@link #blocks()} policy. */
    public DuckDbConfig withBlocks(BlockPolicy blocks) {
        return new DuckDbConfig(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads,
                memoryLimit, blocks, coldTier, exactQuantileSpans);
    }

    /** A copy with another {@link #coldTier()}; {@code null} for none. */
    public DuckDbConfig withColdTier(ColdTier coldTier) {
        return new DuckDbConfig(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads,
                memoryLimit, blocks, coldTier, exactQuantileSpans);
    }

    /** A copy with another {@link #memoryLimit()}. */
    public DuckDbConfig withMemoryLimit(String memoryLimit) {
        return new DuckDbConfig(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads,
                memoryLimit, blocks, coldTier, exactQuantileSpans);
    }

    /** A copy with another {@link #readerThreads()}. */
    public DuckDbConfig withReaderThreads(int readerThreads) {
        return new DuckDbConfig(dataDirectory, readerThreads, maxPendingReads, maxPendingWrites, duckDbThreads,
                memoryLimit, blocks, coldTier, exactQuantileSpans);
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + minimum + ")");
        }
    }
}
