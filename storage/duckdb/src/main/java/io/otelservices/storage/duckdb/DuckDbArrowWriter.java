package io.otelservices.storage.duckdb;

import io.otelservices.model.Span;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes model objects into the tables of {@link DuckDbSchema} through Arrow vectors ({@link ArrowTableRows},
 * {@link DuckDbArrowInserter}), in the connection's current transaction. Keeps one set of vectors per table from
 * batch to batch, and frees them when a big batch left more than {@link #RETAINED_BYTES} allocated.
 *
 * <p>Needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} (Arrow's memory module). Confined to the writer
 * thread, except {@link #close()}, which runs once that thread has stopped.
 */
final class DuckDbArrowWriter implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DuckDbArrowWriter.class);

    /** Off-heap bytes all tables' vectors may hold at once; beyond it a batch fails (and is retried by ingest). */
    static final long MAX_BYTES = 1L << 30;
    /** Off-heap bytes kept between batches; ~10 batches of 10,000 spans. */
    static final long RETAINED_BYTES = 256L << 20;
    /** Rows per record batch handed to DuckDB: its vector size. */
    static final int SLICE_ROWS = 2048;

    private final BufferAllocator allocator = new RootAllocator(MAX_BYTES);
    private final DuckDbArrowInserter inserter = new DuckDbArrowInserter(allocator, SLICE_ROWS);
    private ArrowSpanRows spanRows;

    void insertSpans(DuckDBConnection connection, List<Span> spans) throws SQLException {
        if (spanRows == null) {
            spanRows = new ArrowSpanRows(allocator);
        }
        try {
            for (int i = 0; i < spans.size(); i++) {
                spanRows.add(spans.get(i));
            }
            inserter.insert(connection, spanRows);
        } finally {
            spanRows.clear();
            trim();
        }
    }

    private void trim() {
        if (allocator.getAllocatedMemory() <= RETAINED_BYTES) {
            return;
        }
        if (spanRows != null) {
            spanRows.close();
            spanRows = null;
        }
    }

    @Override
    public void close() {
        try {
            if (spanRows != null) {
                spanRows.close();
            }
            allocator.close();
        } catch (RuntimeException e) {
            // Memory still referenced by DuckDB or by a writer thread that did not stop: leave it to process exit.
            logger.warn("cannot free Arrow memory of the DuckDB writer", e);
        }
    }
}
