package io.otelservices.storage.duckdb;

import io.otelservices.storage.TimeRange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a "newest N" query (trace search, log search) over a table block by block, newest block first, and stops as
 * soon as the blocks not read yet cannot change the answer: when the N-th best result is newer than the newest row
 * any of them holds. A search for the latest 20 traces of a day then reads the hot table and the last hour or two
 * instead of 24 blocks, however much data the day holds (the way Loki and Tempo walk blocks backwards).
 *
 * <p>The first step reads the hot table together with the newest block (the hot table's rows are usually the newest
 * and its time span is unknown); later steps read twice as many blocks as the step before, so a query that must
 * read everything costs a handful of statements rather than one per block. Runs on the caller's connection, inside
 * the read transaction, so every step sees the same snapshot of the catalog and the hot table.
 */
final class NewestFirstScan {

    /** One step of a newest-first query: read a relation and say whether the answer is complete. */
    interface Step {

        /** Reads the rows of {@code relation} (a table name or parenthesised subquery) into the running answer. */
        void read(Connection connection, String relation) throws SQLException;

        /**
         * Whether the answer gathered so far can no longer change when rows no newer than {@code newestRemaining}
         * (Unix epoch nanoseconds) are added.
         */
        boolean completeBefore(long newestRemaining);
    }

    private NewestFirstScan() {}

    /** Runs {@code step} over the hot table and the blocks of {@code table} that may hold rows in {@code range}. */
    static void run(Connection connection, TableSources sources, StoredTable table, TimeRange range, Step step)
            throws SQLException {
        List<BlockCatalog.Block> blocks = new ArrayList<>(BlockCatalog.overlapping(connection, table, range));
        blocks.sort(Comparator.comparingLong(BlockCatalog.Block::maxTime).reversed()
                .thenComparing(Comparator.comparingLong(BlockCatalog.Block::id).reversed()));
        int read = 0;
        int batch = 1;
        boolean first = true;
        while (first || read < blocks.size()) {
            int end = Math.min(blocks.size(), read + batch);
            List<BlockCatalog.Block> part = blocks.subList(read, end);
            step.read(connection, first ? sources.relation(table, part) : sources.blocksOnly(table, part));
            if (end == blocks.size() || step.completeBefore(blocks.get(end).maxTime())) {
                return;
            }
            first = false;
            read = end;
            batch *= 2;
        }
    }
}
