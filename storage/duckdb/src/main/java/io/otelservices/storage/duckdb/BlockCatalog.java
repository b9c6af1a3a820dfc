package io.otelservices.storage.duckdb;

import io.otelservices.storage.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and writes {@code otel_blocks}, in the caller's transaction. */
final class BlockCatalog {

    /** Where a block's file lives: under the blocks directory. */
    static final String TIER_LOCAL = "local";
    /** Where a block's file lives: in the cold tier's object store, under the key {@link Block#path()}. */
    static final String TIER_COLD = "cold";

    /** One sealed block: a Parquet file of one table's rows of one hour. */
    record Block(long id, StoredTable table, long partitionStart, long minTime, long maxTime, long rowCount,
            long bytes, String path, String tier, long sealedAt) {

        boolean isCold() {
            return TIER_COLD.equals(tier);
        }
    }

    private static final String COLUMNS =
            "BlockId, TableName, PartitionStart, MinTime, MaxTime, RowCount, Bytes, Path, Tier, SealedAt";

    private BlockCatalog() {}

    /** The blocks of {@code table} whose rows may fall in {@code range}, oldest first. */
    static List<Block> overlapping(Connection connection, StoredTable table, TimeRange range) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM "
                + DuckDbSchema.BLOCKS + " WHERE TableName = ? AND MaxTime >= ? AND MinTime < ? ORDER BY MinTime, BlockId")) {
            statement.setString(1, table.table());
            statement.setLong(2, range.startNanos());
            statement.setLong(3, range.endNanos());
            return read(statement);
        }
    }

    /** Every block, oldest first. */
    static List<Block> all(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + DuckDbSchema.BLOCKS + " ORDER BY MinTime, BlockId")) {
            return read(statement);
        }
    }

    /** The blocks with these ids (unknown ids are skipped). */
    static List<Block> withIds(Connection connection, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        // Ids are numbers from the catalog itself, never user text.
        String list = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM "
                + DuckDbSchema.BLOCKS + " WHERE BlockId IN (" + list + ") ORDER BY MinTime, BlockId")) {
            return read(statement);
        }
    }

    /** The largest block id in use, 0 when there is none. */
    static long maxId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT coalesce(max(BlockId), 0) FROM " + DuckDbSchema.BLOCKS);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void insert(Connection connection, Block block) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + DuckDbSchema.BLOCKS + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setLong(1, block.id());
            statement.setString(2, block.table().table());
            statement.setLong(3, block.partitionStart());
            statement.setLong(4, block.minTime());
            statement.setLong(5, block.maxTime());
            statement.setLong(6, block.rowCount());
            statement.setLong(7, block.bytes());
            statement.setString(8, block.path());
            statement.setString(9, block.tier());
            statement.setLong(10, block.sealedAt());
            statement.executeUpdate();
        }
    }

    /** Moves block {@code id} from tier {@code from} to tier {@code to}; returns whether it was in {@code from}. */
    static boolean changeTier(Connection connection, long id, String from, String to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE " + DuckDbSchema.BLOCKS + " SET Tier = ? WHERE BlockId = ? AND Tier = ?")) {
            statement.setString(1, to);
            statement.setLong(2, id);
            statement.setString(3, from);
            return statement.executeUpdate() == 1;
        }
    }

    /** Removes the blocks and their trace index rows. */
    static void delete(Connection connection, Collection<Block> blocks) throws SQLException {
        if (blocks.isEmpty()) {
            return;
        }
        String list = blocks.stream().map(b -> String.valueOf(b.id())).collect(Collectors.joining(", "));
        try (PreparedStatement index = connection.prepareStatement(
                "DELETE FROM " + DuckDbSchema.TRACE_INDEX + " WHERE BlockId IN (" + list + ")");
             PreparedStatement catalog = connection.prepareStatement(
                "DELETE FROM " + DuckDbSchema.BLOCKS + " WHERE BlockId IN (" + list + ")")) {
            index.executeUpdate();
            catalog.executeUpdate();
        }
    }

    private static List<Block> read(PreparedStatement statement) throws SQLException {
        List<Block> blocks = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                blocks.add(new Block(rs.getLong(1), StoredTable.named(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
                        rs.getLong(10)));
            }
        }
        return blocks;
    }
}
