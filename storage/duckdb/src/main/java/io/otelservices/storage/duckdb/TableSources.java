package io.otelservices.storage.duckdb;

import io.otelservices.storage.TimeRange;
import io.otelservices.storage.objectstore.BlockCache;
import io.otelservices.storage.objectstore.ObjectStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a query reads for one table: the hot table and the sealed blocks that may hold rows of the queried time
 * range, as one relation. Called inside the reader's transaction, so that the catalog and the hot table come from
 * the same snapshot: a row is either still hot or in a block the catalog lists, never both or neither.
 *
 * <p>DuckDB pushes the query's filters into both sides of the {@code UNION ALL}: into the hot table's scan and into
 * the Parquet reader, where row-group statistics of the sorted blocks skip what cannot match.
 *
 * <p>Blocks in the cold tier are read from local copies in the {@link BlockCache}, downloaded on a miss (one after
 * the other for now). Each copy stays pinned in the running query's {@link QueryScope} until its transaction has
 * ended, so the cache cannot evict a file DuckDB still reads.
 */
final class TableSources {

    private final Path blocksDirectory;
    private final BlockCache cache; // null without a cold tier
    private final Supplier<QueryScope> scope;

    /**
     * @param cache the cold tier's cache, or {@code null} without a cold tier
     * @param scope the scope of the query running on the calling thread ({@link DuckDbReadPool#currentScope()})
     */
    TableSources(Path blocksDirectory, BlockCache cache, Supplier<QueryScope> scope) {
        this.blocksDirectory = blocksDirectory.toAbsolutePath();
        this.cache = cache;
        this.scope = scope;
    }

    /** The relation of {@code table} over {@code range} (a table name or a parenthesised subquery). */
    String relation(Connection connection, StoredTable table, TimeRange range) throws SQLException {
        return relation(table, BlockCatalog.overlapping(connection, table, range));
    }

    /** The hot table plus {@code blocks}; cold blocks are fetched into the cache and pinned for the query. */
    String relation(StoredTable table, List<BlockCatalog.Block> blocks) throws SQLException {
        if (blocks.isEmpty()) {
            return table.hotRelation();
        }
        // BY NAME on both: blocks written by an older layout with fewer columns read as NULL there.
        return "(SELECT * FROM " + table.hotRelation() + " UNION ALL BY NAME SELECT * FROM " + files(blocks) + ")";
    }

    /**
     * {@code blocks} without the hot table's rows (a parenthesised subquery). The empty hot-table branch keeps the
     * table's columns even where every block was written by an older layout with fewer of them.
     */
    String blocksOnly(StoredTable table, List<BlockCatalog.Block> blocks) throws SQLException {
        if (blocks.isEmpty()) {
            return "(SELECT * FROM " + table.hotRelation() + " WHERE false)";
        }
        return "((SELECT * FROM " + table.hotRelation() + " WHERE false) UNION ALL BY NAME SELECT * FROM "
                + files(blocks) + ")";
    }

    private String files(List<BlockCatalog.Block> blocks) throws SQLException {
        StringBuilder files = new StringBuilder();
        for (BlockCatalog.Block block : blocks) {
            if (files.length() > 0) {
                files.append(", ");
            }
            files.append(quote(file(block).toString()));
        }
        return "read_parquet([" + files + "], union_by_name = true)";
    }

    /** A block's file: under the blocks directory, or a pinned cache copy of a cold block. */
    Path file(BlockCatalog.Block block) throws SQLException {
        if (!block.isCold()) {
            return blocksDirectory.resolve(block.path());
        }
        if (cache == null) {
            throw new SQLException("block " + block.path() + " is in the cold tier, but no cold tier is configured "
                    + "(expected: DuckDbConfig.coldTier with the object store it was moved to)");
        }
        try {
            return scope.get().pin(cache, block.path());
        } catch (ObjectStoreException e) {
            throw new SQLException("cannot fetch cold block " + block.path() + ": " + e.getMessage(), e);
        }
    }

    /** {@code text} as a SQL string literal. */
    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
