package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.CheckResult;
import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.objectstore.BlockCache;
import io.otelservices.storage.objectstore.ObjectStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: one DuckDB database file under the data directory, with tables laid out like the
 * OpenTelemetry Collector ClickHouse exporter's (see {@code README.md} of this module).
 *
 * <p>Threads: writes run on one writer thread of this backend, one DuckDB transaction per batch; queries run on a
 * bounded pool of reader threads, each with its own connection. Every method returns at once; the futures complete
 * on those threads. Thread-safe.
 */
public final class DuckDbStorage implements StorageBackend {

    private static final Logger logger = LoggerFactory.getLogger(DuckDbStorage.class);
    /** DuckDB's {@code checkpoint_threshold}. */
    static final String CHECKPOINT_THRESHOLD = "256MB";

    private final DuckDbConfig config;
    private final DuckDBConnection database; // the first connection: owns the database instance; used by the writer
    private final DuckDBConnection probe; // for check(); guarded by itself
    private final DuckDbBatchWriter writer;
    private final DuckDbReadPool readPool;
    private final DuckDBConnection maintenanceConnection;
    private final BlockSealer sealer; // guarded by itself
    private final BlockCache coldCache; // null without a cold tier
    private final ColdMover coldMover; // null without a cold tier; guarded by sealer
    private final ScheduledExecutorService maintenance;
    private volatile Map<String, BlockTotals> blockTotals = Map.of();
    private volatile Map<String, BlockTotals> coldBlockTotals = Map.of();
    private final TraceReader traces;
    private final LogReader logs;
    private final SeriesReader series;
    private final DependencyReader dependencies;
    private volatile boolean closed;

    /** Opens (creating where needed) the database of {@code config}. */
    public static DuckDbStorage open(DuckDbConfig config) {
        return new DuckDbStorage(config, DuckDbBatchWriter.AppendListener.NONE);
    }

    DuckDbStorage(DuckDbConfig config, DuckDbBatchWriter.AppendListener appendListener) {
        this.config = requireNonNull(config, "config");
        try {
            Files.createDirectories(config.databaseFile().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.databaseFile().getParent(), e);
        }
        Properties properties = new Properties();
        properties.setProperty("memory_limit", config.memoryLimit());
        properties.setProperty("threads", Integer.toString(config.duckDbThreads()));
        // DuckDB checkpoints (rewrites and compresses the touched row groups) whenever its own log passes this size;
        // at the default 16MB the rewrite ran every ~2 batches and cost more than the inserts themselves. 256MB
        // writes 37 % more spans/s (WriteThroughputBench, 500k spans) for a longer log to replay at start.
        properties.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
        DuckDBConnection first = null;
        DuckDBConnection probeConnection = null;
        DuckDbReadPool pool = null;
        DuckDBConnection maintenanceConnection = null;
        BlockSealer blockSealer = null;
        BlockCache cache = null;
        ColdMover mover = null;
        try {
            first = (DuckDBConnection) DriverManager.getConnection(
                    "jdbc:duckdb:" + config.databaseFile().toAbsolutePath(), properties);
            DuckDbSchema.createOrVerify(first);
            try (Statement statement = first.createStatement()) {
                // Blocks are immutable files with unique names, so their Parquet footers can be cached between
                // queries (a 24 h aggregate over one day of blocks: 10.8 -> 6.9 ms). Not a startup property: the
                // setting belongs to the Parquet extension, which loads on first use.
                statement.execute("SET GLOBAL parquet_metadata_cache = true");
            }
            probeConnection = first.duplicate();
            maintenanceConnection = first.duplicate();
            blockSealer = new BlockSealer(maintenanceConnection, config.blocksDirectory(), config.blocks());
            blockSealer.removeOrphans();
            DuckDbConfig.ColdTier coldTier = config.coldTier();
            if (coldTier != null) {
                cache = new BlockCache(coldTier.store(), coldTier.cacheDirectory(), coldTier.cacheBytes());
                mover = new ColdMover(maintenanceConnection, config.blocksDirectory(), config.blocks(),
                        coldTier.store(), cache, blockSealer);
                removeOrphanObjects(mover);
            } else if (config.blocks().coldAfter() != null) {
                logger.atWarn().addKeyValue("coldAfter", config.blocks().coldAfter())
                        .log("blocks stay local: coldAfter is set, but no cold tier is configured");
            }
            pool = new DuckDbReadPool(first, config.readerThreads(), config.maxPendingReads());
            writer = new DuckDbBatchWriter(first, config.maxPendingWrites(), appendListener);
        } catch (SQLException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (cache != null) {
                cache.close();
            }
            closeQuietly(probeConnection);
            closeQuietly(maintenanceConnection);
            closeQuietly(first);
            throw new DuckDbStorageException("cannot open DuckDB database " + config.databaseFile() + ": "
                    + e.getMessage(), e);
        }
        database = first;
        probe = probeConnection;
        readPool = pool;
        this.maintenanceConnection = maintenanceConnection;
        sealer = blockSealer;
        coldCache = cache;
        coldMover = mover;
        TableSources sources = new TableSources(config.blocksDirectory(), coldCache, readPool::currentScope);
        traces = new DuckDbTraceReader(readPool, sources, config.exactQuantileSpans());
        logs = new DuckDbLogReader(readPool, sources);
        series = new DuckDbSeriesReader(readPool, sources);
        dependencies = new DuckDbDependencyReader(readPool, sources);
        refreshBlockTotals();
        maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "duckdb-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.blocks().maintenanceInterval().toMillis();
        if (interval > 0) {
            maintenance.scheduleWithFixedDelay(this::runMaintenanceQuietly, interval, interval,
                    TimeUnit.MILLISECONDS);
        }
        logger.info("DuckDB storage open, file={}, storedWalRanges={}", config.databaseFile(),
                writer.storedWalRanges());
    }

    /**
     * A crash between an upload and its catalog commit leaves an object the catalog does not list; a store that
     * cannot be reached now only delays that cleanup to the next start, so it does not stop this one.
     */
    private static void removeOrphanObjects(ColdMover mover) throws SQLException {
        try {
            mover.removeOrphanObjects();
        } catch (ObjectStoreException e) {
            logger.atWarn().setCause(e).log("cannot remove cold objects the catalog does not list; retrying at the "
                    + "next start");
        }
    }

    /**
     * Seals every closed hour of the hot tables into blocks, moves blocks past {@link BlockPolicy#coldAfter()} to
     * the cold tier, and drops partitions past retention, now, on the caller's thread (the background runs do the
     * same every {@link BlockPolicy#maintenanceInterval()}).
     *
     * @throws DuckDbStorageException if a step failed; a failed move to the cold tier is reported after retention
     *     ran, and leaves the blocks it did not move local and readable
     */
    public MaintenanceReport runMaintenance() {
        synchronized (sealer) {
            if (closed) {
                throw new IllegalStateException("DuckDB storage is closed");
            }
            try {
                BlockSealer.SealReport sealed;
                ColdMover.MoveReport moved = ColdMover.MoveReport.NONE;
                List<BlockCatalog.Block> dropped;
                int compacted;
                try {
                    sealed = sealer.sealClosedHours();
                    compacted = sealer.compactHours();
                    if (coldMover != null) {
                        moved = coldMover.moveToCold();
                    }
                    dropped = sealer.applyRetention();
                    if (coldMover != null) {
                        coldMover.dropObjects(dropped);
                        coldMover.deleteDueObjects(false);
                    }
                } finally {
                    refreshBlockTotals();
                }
                if (moved.failure() != null) {
                    throw new DuckDbStorageException("moving blocks to the cold tier failed after " + moved.blocks()
                            + " blocks; the others stay local until the next run: " + moved.failure().getMessage(),
                            moved.failure());
                }
                return new MaintenanceReport(sealed.blocks(), sealed.rows(), sealed.bytes(), dropped.size(),
                        dropped.stream().mapToLong(BlockCatalog.Block::rowCount).sum(), moved.blocks(), compacted);
            } catch (SQLException e) {
                throw new DuckDbStorageException("block maintenance failed: " + e.getMessage(), e);
            }
        }
    }

    /** Runs {@code query} on a reader connection, in a transaction of its own (tests and benchmarks). */
    <T> CompletableFuture<T> query(DuckDbReadPool.Query<T> query) {
        return readPool.submit("run a query", query);
    }

    /** The cold tier's maintenance (tests); {@code null} without a cold tier. */
    ColdMover coldMover() {
        return coldMover;
    }

    /** The raw tables whose sealed blocks {@link #blockTotals()} reports, by name. */
    public static List<String> rawTables() {
        return Arrays.stream(StoredTable.values()).filter(StoredTable::hot).map(StoredTable::table).toList();
    }

    /** Sealed blocks of one table: how many, their rows and their bytes (on disk or in the object store). */
    public record BlockTotals(long blocks, long rows, long bytes) {}

    /**
     * The sealed blocks by table name, local and cold together (tables without blocks are absent); as of the last
     * maintenance run.
     */
    public Map<String, BlockTotals> blockTotals() {
        return blockTotals;
    }

    /** The part of {@link #blockTotals()} in the cold tier. */
    public Map<String, BlockTotals> coldBlockTotals() {
        return coldBlockTotals;
    }

    private void refreshBlockTotals() {
        synchronized (sealer) {
            try {
                Map<String, BlockTotals> totals = new TreeMap<>();
                Map<String, BlockTotals> cold = new TreeMap<>();
                for (BlockCatalog.Block block : sealer.blocks()) {
                    BlockTotals one = new BlockTotals(1, block.rowCount(), block.bytes());
                    totals.merge(block.table().table(), one, DuckDbStorage::sum);
                    if (block.isCold()) {
                        cold.merge(block.table().table(), one, DuckDbStorage::sum);
                    }
                }
                blockTotals = Map.copyOf(totals);
                coldBlockTotals = Map.copyOf(cold);
            } catch (SQLException e) {
                logger.atWarn().setCause(e).log("cannot read the block catalog");
            }
        }
    }

    private static BlockTotals sum(BlockTotals a, BlockTotals b) {
        return new BlockTotals(a.blocks() + b.blocks(), a.rows() + b.rows(), a.bytes() + b.bytes());
    }

    /**
     * What {@link #runMaintenance()} did: blocks sealed (rows, bytes), blocks dropped (rows), blocks moved to the
     * cold tier, and blocks merged into one per table-hour.
     */
    public record MaintenanceReport(int sealedBlocks, long sealedRows, long sealedBytes, int droppedBlocks,
            long droppedRows, int movedBlocks, int compactedBlocks) {}

    private void runMaintenanceQuietly() {
        try {
            runMaintenance();
        } catch (RuntimeException e) {
            if (!closed) {
                logger.atWarn().setCause(e).log("block maintenance failed; retrying at the next run");
            }
        }
    }

    /** The settings this backend was opened with. */
    public DuckDbConfig config() {
        return config;
    }

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
        return logs;
    }

    @Override
    public SeriesReader series() {
        return series;
    }

    @Override
    public DependencyReader dependencies() {
        return dependencies;
    }

    /**
     * Reads the checkpoint row (the database is open and not invalidated by an earlier fatal error), then inserts a
     * row in a transaction that it rolls back (the database takes writes: not read-only, not out of disk for the
     * catalog). Neither touches the disk, so it is cheap.
     */
    @Override
    public CheckResult check() {
        if (closed) {
            return CheckResult.failed(new IllegalStateException("DuckDB storage is closed"));
        }
        if (!writer.isRunning()) {
            return CheckResult.failed(new IllegalStateException("DuckDB writer thread is stopped"));
        }
        synchronized (probe) {
            try (Statement statement = probe.createStatement()) {
                DuckDbSchema.readWalRanges(probe);
                statement.execute("BEGIN TRANSACTION");
                try {
                    statement.execute("INSERT INTO " + DuckDbSchema.SCHEMA_VERSION + " VALUES (0)");
                } finally {
                    statement.execute("ROLLBACK");
                }
                return CheckResult.OK;
            } catch (SQLException | RuntimeException e) {
                return CheckResult.failed(new DuckDbStorageException(
                        "DuckDB database " + config.databaseFile() + " is not usable: " + e.getMessage(), e));
            }
        }
    }

    /**
     * Whether {@code error} (or one of its causes) is overload: a full write or query queue, or DuckDB running out of
     * its {@code memory_limit} ("Out of Memory Error").
     */
    @Override
    public boolean isOverCapacity(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedExecutionException) {
                return true;
            }
            if (cause instanceof SQLException && cause.getMessage() != null
                    && cause.getMessage().contains("Out of Memory Error")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Lets pending writes and queries finish, checkpoints the write-ahead log into the database file and closes
     * it. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sealer) {
            sealer.deleteDueFiles(false);
            closeQuietly(maintenanceConnection);
        }
        writer.close();
        readPool.close();
        if (coldMover != null) {
            synchronized (sealer) {
                // No query can read them any more: the delay is over.
                coldMover.deleteDueObjects(true);
            }
            coldCache.close();
        }
        synchronized (probe) {
            closeQuietly(probe);
        }
        try (Statement statement = database.createStatement()) {
            // The writer thread is gone: leave its explicit-transaction mode so that CHECKPOINT runs on its own.
            database.setAutoCommit(true);
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            logger.warn("DuckDB checkpoint on close failed, file={}", config.databaseFile(), e);
        }
        closeQuietly(database);
        logger.info("DuckDB storage closed, file={}", config.databaseFile());
    }

    private static void closeQuietly(DuckDBConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            logger.warn("cannot close DuckDB connection", e);
        }
    }
}
