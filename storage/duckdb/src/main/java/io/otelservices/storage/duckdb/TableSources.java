package io.otelservices.storage.duckdb;

import io.otelservices.storage.TimeRange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a query reads for one table: the hot table and the sealed blocks that may hold rows of the queried time
 * range, as one relation. Called inside the reader's transaction, so that the catalog and the hot table come from
 * the same snapshot: a row is either still hot or in a block the catalog lists, never both or neither.
 *
 * <p>DuckDB pushes the query's filters into both sides of the {@code UNION ALL}: into the hot table's scan and into
 * the Parquet reader, where row-group statistics of the sorted blocks skip what cannot match.
 */
final class TableSources {

    private final Path blocksDirectory;

    TableSources(Path blocksDirectory) {
        this.blocksDirectory = blocksDirectory.toAbsolutePath();
    }

    /** The relation of {@code table} over {@code range} (a table name or a parenthesised subquery). */
    String relation(Connection connection, StoredTable table, TimeRange range) throws SQLException {
        return relation(table, BlockCatalog.overlapping(connection, table, range));
    }

    /** The hot table plus {@code blocks}. */
    String relation(StoredTable table, List<BlockCatalog.Block> blocks) {
        if (blocks.isEmpty()) {
            return table.table();
        }
        StringBuilder files = new StringBuilder();
        for (BlockCatalog.Block block : blocks) {
            if (files.length() > 0) {
                files.append(", ");
            }
            files.append(quote(file(block).toString()));
        }
        // BY NAME on both: blocks written by an older layout with fewer columns read as NULL there.
        return "(SELECT * FROM " + table.table() + " UNION ALL BY NAME SELECT * FROM read_parquet([" + files
                + "], union_by_name = true))";
    }

    /** A block's file. */
    Path file(BlockCatalog.Block block) {
        return blocksDirectory.resolve(block.path());
    }

    /** {@code text} as a SQL string literal. */
    static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
