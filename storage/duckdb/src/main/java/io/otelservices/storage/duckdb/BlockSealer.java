package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves closed hours of the hot tables into blocks, drops partitions past their retention, and deletes files that
 * no longer belong to the catalog. Runs on one thread (the maintenance thread, or a test) with a connection of its
 * own.
 *
 * <p>Sealing one hour of one table is one DuckDB transaction: copy the hour's rows, sorted, to a new Parquet file;
 * force it to disk; add it to the catalog (and its traces to the trace index); delete the rows from the hot table;
 * commit. Everything reads the transaction's snapshot, so rows the writer commits meanwhile stay hot for the next
 * run. A crash before the commit leaves a file the catalog does not list, removed at the next start
 * ({@link #removeOrphans()}); after it, the block is complete and its rows are gone from the hot table.
 *
 * <p>Dropped blocks leave the catalog first; their files are deleted a little later ({@link #FILE_DELETE_DELAY}),
 * so that queries that planned with them before the drop can finish reading. The local files of blocks moved to the
 * cold tier ({@link ColdMover}) go the same way ({@link #deleteLater(Path)}).
 */
final class BlockSealer {

    private static final Logger logger = LoggerFactory.getLogger(BlockSealer.class);
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    static final Duration FILE_DELETE_DELAY = Duration.ofMinutes(2);

    /** What one sealing run did. */
    record SealReport(int blocks, long rows, long bytes) {
        static final SealReport NONE = new SealReport(0, 0, 0);

        SealReport plus(SealReport other) {
            return new SealReport(blocks + other.blocks, rows + other.rows, bytes + other.bytes);
        }
    }

    private record PendingDelete(Path file, long notBeforeNanos) {}

    private final DuckDBConnection connection;
    private final Path blocksDirectory;
    private final BlockPolicy policy;
    private final Deque<PendingDelete> pendingDeletes = new ArrayDeque<>();
    private long lastBlockId;

    BlockSealer(DuckDBConnection connection, Path blocksDirectory, BlockPolicy policy) throws SQLException {
        this.connection = requireNonNull(connection, "connection");
        this.blocksDirectory = blocksDirectory.toAbsolutePath();
        this.policy = requireNonNull(policy, "policy");
        connection.setAutoCommit(false);
        lastBlockId = BlockCatalog.maxId(connection);
        connection.commit();
    }

    /** Every block of the catalog. */
    List<BlockCatalog.Block> blocks() throws SQLException {
        try {
            List<BlockCatalog.Block> blocks = BlockCatalog.all(connection);
            connection.commit();
            return blocks;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Seals every hour of every table that ended at least the grace period ago. */
    SealReport sealClosedHours() throws SQLException {
        long cutoff = floorHour(nanos(policy.clock().instant().minus(policy.sealGrace())));
        SealReport report = SealReport.NONE;
        for (StoredTable table : StoredTable.values()) {
            if (!table.hot()) {
                continue;
            }
            for (long hour : hotHoursBefore(table, cutoff)) {
                report = report.plus(sealHour(table, hour));
            }
        }
        if (report.blocks() > 0) {
            logger.atInfo().addKeyValue("blocks", report.blocks()).addKeyValue("rows", report.rows())
                    .addKeyValue("bytes", report.bytes()).log("sealed hot rows into blocks");
        }
        return report;
    }

    /**
     * Merges the local blocks of each table-hour that has more than one (late rows sealed after the hour's first
     * block, or an hour sealed while data still came in) into one sorted block: fewer files for every query, better
     * compression. One transaction per table-hour: write and force the merged file, list it, repoint the trace
     * index, unlist the old blocks; their files are deleted after the usual delay. Returns the blocks merged away.
     */
    int compactHours() throws SQLException {
        List<List<BlockCatalog.Block>> groups = new ArrayList<>();
        try {
            Map<String, List<BlockCatalog.Block>> byHour = new LinkedHashMap<>();
            for (BlockCatalog.Block block : BlockCatalog.all(connection)) {
                if (!block.isCold()) {
                    byHour.computeIfAbsent(block.table().table() + "@" + floorHour(block.minTime()),
                            k -> new ArrayList<>()).add(block);
                }
            }
            connection.commit();
            for (List<BlockCatalog.Block> group : byHour.values()) {
                if (group.size() > 1) {
                    groups.add(group);
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        int merged = 0;
        for (List<BlockCatalog.Block> group : groups) {
            compact(group);
            merged += group.size();
        }
        if (merged > 0) {
            logger.atInfo().addKeyValue("blocks", merged).addKeyValue("into", groups.size())
                    .log("compacted the blocks of table-hours into one each");
        }
        return merged;
    }

    private void compact(List<BlockCatalog.Block> group) throws SQLException {
        StoredTable table = group.get(0).table();
        long hourStart = floorHour(group.get(0).minTime());
        long id = lastBlockId + 1;
        String relativePath = relativePath(table, hourStart, id);
        Path file = blocksDirectory.resolve(relativePath);
        StringBuilder sources = new StringBuilder();
        long rows = 0;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (BlockCatalog.Block block : group) {
            sources.append(sources.length() == 0 ? "" : ", ")
                    .append(TableSources.quote(blocksDirectory.resolve(block.path()).toString()));
            rows += block.rowCount();
            minTime = Math.min(minTime, block.minTime());
            maxTime = Math.max(maxTime, block.maxTime());
        }
        String merged = "read_parquet([" + sources + "], union_by_name = true)";
        boolean committed = false;
        try (Statement statement = connection.createStatement()) {
            long bytes = copy(statement, table.blockSelect(merged) + " ORDER BY " + table.sortColumns(), file,
                    table.rowGroupRows());
            BlockCatalog.insert(connection, new BlockCatalog.Block(id, table, group.get(0).partitionStart(), minTime,
                    maxTime, rows, bytes, relativePath, BlockCatalog.TIER_LOCAL, nanos(policy.clock().instant())));
            if (table == StoredTable.TRACES) {
                statement.executeUpdate("INSERT INTO " + DuckDbSchema.TRACE_INDEX + " SELECT TraceId, " + id
                        + ", min(Timestamp), max(Timestamp + Duration) FROM read_parquet("
                        + TableSources.quote(file.toString()) + ") GROUP BY TraceId");
            }
            BlockCatalog.delete(connection, group);
            connection.commit();
            committed = true;
            lastBlockId = id;
        } catch (IOException e) {
            throw new SQLException("cannot write block " + file + ": " + e.getMessage(), e);
        } finally {
            if (!committed) {
                rollbackQuietly();
                deleteQuietly(file);
            }
        }
        for (BlockCatalog.Block block : group) {
            deleteLater(blocksDirectory.resolve(block.path()));
        }
    }

    /** Drops every partition that ended more than its retention ago; returns the blocks dropped. */
    List<BlockCatalog.Block> applyRetention() throws SQLException {
        Instant now = policy.clock().instant();
        List<BlockCatalog.Block> expired = new ArrayList<>();
        try {
            for (BlockCatalog.Block block : BlockCatalog.all(connection)) {
                StoredTable.Kind kind = block.table().kind();
                long partitionEnd = block.partitionStart() + kind.partition().toNanos();
                if (partitionEnd <= nanos(now.minus(policy.retention(kind)))) {
                    expired.add(block);
                }
            }
            BlockCatalog.delete(connection, expired);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        long notBefore = System.nanoTime() + FILE_DELETE_DELAY.toNanos();
        for (BlockCatalog.Block block : expired) {
            pendingDeletes.add(new PendingDelete(blocksDirectory.resolve(block.path()), notBefore));
        }
        if (!expired.isEmpty()) {
            logger.atInfo().addKeyValue("blocks", expired.size())
                    .addKeyValue("rows", expired.stream().mapToLong(BlockCatalog.Block::rowCount).sum())
                    .log("dropped partitions past retention");
        }
        deleteDueFiles(false);
        return expired;
    }

    /**
     * Deletes {@code file} once {@link #FILE_DELETE_DELAY} has passed ({@link #deleteDueFiles}), so that queries that
     * planned with it can finish reading it.
     */
    void deleteLater(Path file) {
        pendingDeletes.add(new PendingDelete(file, System.nanoTime() + FILE_DELETE_DELAY.toNanos()));
    }

    /**
     * Deletes the files of dropped blocks whose delay has passed, or all of them with {@code now}; files that are
     * already gone are fine.
     */
    void deleteDueFiles(boolean now) {
        long nanoTime = System.nanoTime();
        while (!pendingDeletes.isEmpty() && (now || pendingDeletes.peek().notBeforeNanos() - nanoTime <= 0)) {
            Path file = pendingDeletes.poll().file();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                logger.atWarn().setCause(e).addKeyValue("file", file).log("cannot delete a dropped block's file");
            }
        }
    }

    /**
     * Deletes files under the blocks directory that the catalog does not list as local: blocks whose sealing
     * transaction did not commit, blocks dropped just before a stop, and the local files of blocks whose move to
     * the cold tier committed just before a stop. Called at start, before anything is sealed.
     */
    int removeOrphans() throws SQLException {
        if (!Files.isDirectory(blocksDirectory)) {
            return 0;
        }
        Set<Path> listed = new HashSet<>();
        for (BlockCatalog.Block block : BlockCatalog.all(connection)) {
            if (!block.isCold()) {
                listed.add(blocksDirectory.resolve(block.path()).normalize());
            }
        }
        connection.commit();
        int removed = 0;
        try (Stream<Path> files = Files.walk(blocksDirectory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!listed.contains(file.normalize())) {
                    Files.delete(file);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + blocksDirectory, e);
        }
        if (removed > 0) {
            logger.atInfo().addKeyValue("files", removed).log("removed block files the catalog does not list");
        }
        return removed;
    }

    private List<Long> hotHoursBefore(StoredTable table, long cutoff) throws SQLException {
        List<Long> hours = new ArrayList<>();
        String column = table.timeColumn();
        // Floor division, so that times before 1970 land in their own hour too.
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT (" + column + " // "
                + HOUR_NANOS + ") * " + HOUR_NANOS + " FROM " + table.table() + " WHERE " + column + " < ? ORDER BY 1")) {
            statement.setLong(1, cutoff);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    hours.add(rs.getLong(1));
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        return hours;
    }

    private SealReport sealHour(StoredTable table, long hourStart) throws SQLException {
        long hourEnd = hourStart + HOUR_NANOS;
        String within = " WHERE " + table.timeColumn() + " >= " + hourStart + " AND " + table.timeColumn() + " < "
                + hourEnd;
        List<Path> written = new ArrayList<>();
        long nextId = lastBlockId;
        boolean committed = false;
        try (Statement statement = connection.createStatement()) {
            long rows;
            long minTime;
            long maxTime;
            try (ResultSet rs = statement.executeQuery("SELECT count(*), min(" + table.timeColumn() + "), max("
                    + table.timeColumn() + ") FROM " + table.table() + within)) {
                rs.next();
                rows = rs.getLong(1);
                minTime = rs.getLong(2);
                maxTime = rs.getLong(3);
            }
            if (rows == 0) {
                connection.rollback();
                return SealReport.NONE;
            }
            long id = ++nextId;
            String relativePath = relativePath(table, hourStart, id);
            Path file = blocksDirectory.resolve(relativePath);
            written.add(file);
            long bytes = copy(statement, table.blockSelect(table.table() + within) + " ORDER BY " + table.sortColumns(),
                    file, table.rowGroupRows());
            BlockCatalog.insert(connection, new BlockCatalog.Block(id, table, partitionStart(table, hourStart),
                    minTime, maxTime, rows, bytes, relativePath, BlockCatalog.TIER_LOCAL, nanos(policy.clock().instant())));
            if (table == StoredTable.TRACES) {
                statement.executeUpdate("INSERT INTO " + DuckDbSchema.TRACE_INDEX + " SELECT TraceId, " + id
                        + ", min(Timestamp), max(Timestamp + Duration) FROM " + table.table() + within
                        + " GROUP BY TraceId");
            }
            // The rollups of this hour, from the same snapshot, each a block of its own table.
            for (Rollups.Rollup rollup : Rollups.of(table, "(SELECT * FROM " + table.table() + within + ")")) {
                long rollupId = ++nextId;
                String rollupPath = relativePath(rollup.table(), hourStart, rollupId);
                Path rollupFile = blocksDirectory.resolve(rollupPath);
                written.add(rollupFile);
                long rollupBytes = copy(statement, rollup.select(), rollupFile, rollup.table().rowGroupRows());
                try (ResultSet rs = statement.executeQuery("SELECT count(*), min(TimeUnix), max(TimeUnix) FROM "
                        + "read_parquet(" + TableSources.quote(rollupFile.toString()) + ")")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        Files.delete(rollupFile);
                        continue;
                    }
                    BlockCatalog.insert(connection, new BlockCatalog.Block(rollupId, rollup.table(),
                            partitionStart(rollup.table(), hourStart), rs.getLong(2), rs.getLong(3), rs.getLong(1),
                            rollupBytes, rollupPath, BlockCatalog.TIER_LOCAL, nanos(policy.clock().instant())));
                }
            }
            long deleted = statement.executeUpdate("DELETE FROM " + table.table() + within);
            if (deleted != rows) {
                throw new IllegalStateException("sealing " + relativePath + ": deleted " + deleted
                        + " hot rows (expected: " + rows + ", the rows copied)");
            }
            connection.commit();
            committed = true;
            lastBlockId = nextId;
            return new SealReport(1, rows, bytes);
        } catch (IOException e) {
            throw new SQLException("cannot write block " + written.get(written.size() - 1) + ": " + e.getMessage(), e);
        } finally {
            if (!committed) {
                rollbackQuietly();
                written.forEach(BlockSealer::deleteQuietly);
            }
        }
    }

    /**
     * Writes the rows of {@code select} (in its order) as a ZSTD Parquet file forced to disk; returns its size.
     * Parquet format version 2 lets DuckDB use its delta encodings: 8 % fewer bytes for an hour of spans
     * (13.0 → 12.0 MB), queries as fast or faster.
     */
    private long copy(Statement statement, String select, Path file, int rowGroupRows)
            throws SQLException, IOException {
        Files.createDirectories(file.getParent());
        statement.execute("COPY (" + select + ") TO " + TableSources.quote(file.toString())
                + " (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION zstd, COMPRESSION_LEVEL " + policy.zstdLevel()
                + ", ROW_GROUP_SIZE " + rowGroupRows + ")");
        force(file);
        return Files.size(file);
    }

    private static String relativePath(StoredTable table, long hourStart, long id) {
        Instant hour = Instant.ofEpochSecond(0, hourStart);
        return table.table() + "/" + DAY.format(hour) + "/" + HOUR.format(hour) + "-" + id + ".parquet";
    }

    private static long partitionStart(StoredTable table, long time) {
        long width = table.kind().partition().toNanos();
        return Math.floorDiv(time, width) * width;
    }

    /** Forces the file and its directory entry to disk: the catalog must never list a file a crash can lose. */
    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            logger.atWarn().setCause(e).log("rollback after a failed sealing failed too");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.atWarn().setCause(e).addKeyValue("file", file).log("cannot delete an unfinished block");
        }
    }

    private static long floorHour(long nanos) {
        return Math.floorDiv(nanos, HOUR_NANOS) * HOUR_NANOS;
    }

    static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }
}
