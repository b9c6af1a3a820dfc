package io.otelservices.storage.duckdb;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * Inserts {@link ArrowTableRows} into their table with one {@code INSERT ... SELECT} over the Arrow vectors, which
 * DuckDB scans in place through the Arrow C data interface: 3-4× less CPU per span than the JDBC appender filling
 * {@code MAP} and {@code LIST(STRUCT)} columns value by value (DESIGN.md §4, {@code docs/BENCHMARKS.md}).
 *
 * <p>The statement runs in the connection's current transaction, like any other. The rows are handed over as
 * record batches of at most {@code sliceRows} rows, so that DuckDB's threads convert them in parallel. Confined to
 * the writer thread.
 */
final class DuckDbArrowInserter {

    private final BufferAllocator allocator;
    private final int sliceRows;

    DuckDbArrowInserter(BufferAllocator allocator, int sliceRows) {
        this.allocator = allocator;
        this.sliceRows = sliceRows;
    }

    /** Inserts the rows into {@link ArrowTableRows#table()}; returns the rows inserted. */
    long insert(DuckDBConnection connection, ArrowTableRows rows) throws SQLException {
        if (rows.rowCount() == 0) {
            return 0;
        }
        // A temporary view of this connection over the stream; the driver names it, we drop it once consumed.
        String view = "otel_arrow_" + rows.table();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            RootSlicesReader reader = new RootSlicesReader(allocator, rows, sliceRows);
            try {
                Data.exportArrayStream(allocator, reader, stream);
            } catch (RuntimeException e) {
                closeQuietly(reader, e);
                throw e;
            }
            try {
                connection.registerArrowStream(view, stream);
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO " + rows.table() + " BY NAME SELECT * FROM " + view);
                    statement.execute("DROP VIEW " + view);
                }
            } catch (RuntimeException e) {
                // registerArrowStream reports SQL errors unchecked
                if (e.getCause() instanceof SQLException sqlException) {
                    throw sqlException;
                }
                throw e;
            } finally {
                // DuckDB takes the stream over when it starts to scan and releases it at the end; where it never
                // started, the stream (and so the reader) is still ours to release.
                if (stream.snapshot().release != 0) {
                    stream.release();
                }
            }
        }
        return rows.rowCount();
    }

    private static void closeQuietly(ArrowReader reader, Exception failure) {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Reads the rows as consecutive record batches of at most {@code sliceRows} rows, each with the full
     * dictionaries. The batches share the rows' buffers (Arrow's reference counts), except for the offsets of
     * sliced variable-width vectors; the exporter keeps what it hands to DuckDB alive until DuckDB releases it.
     */
    private static final class RootSlicesReader extends ArrowReader {
        private final ArrowTableRows rows;
        private final VectorSchemaRoot source;
        private final int sliceRows;
        private VectorSchemaRoot current;
        private VectorSchemaRoot slice;
        private int nextRow;

        RootSlicesReader(BufferAllocator allocator, ArrowTableRows rows, int sliceRows) {
            super(allocator);
            this.rows = rows;
            source = rows.root();
            current = source;
            this.sliceRows = sliceRows;
        }

        @Override
        public VectorSchemaRoot getVectorSchemaRoot() {
            return current;
        }

        @Override
        public boolean loadNextBatch() {
            closeSlice();
            int rowCount = source.getRowCount();
            if (nextRow >= rowCount) {
                return false;
            }
            int length = Math.min(sliceRows, rowCount - nextRow);
            if (length == rowCount) {
                current = source;
            } else {
                slice = source.slice(nextRow, length);
                current = slice;
            }
            nextRow += length;
            return true;
        }

        @Override
        public Dictionary lookup(long id) {
            return rows.lookup(id);
        }

        @Override
        public Set<Long> getDictionaryIds() {
            return rows.getDictionaryIds();
        }

        @Override
        public Map<Long, Dictionary> getDictionaryVectors() {
            Map<Long, Dictionary> dictionaries = new HashMap<>();
            for (long id : rows.getDictionaryIds()) {
                dictionaries.put(id, rows.lookup(id));
            }
            return dictionaries;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
            closeSlice();
        }

        @Override
        protected Schema readSchema() {
            return source.getSchema();
        }

        private void closeSlice() {
            if (slice != null) {
                slice.close();
                slice = null;
            }
            current = source;
        }
    }
}
