package io.otelservices.storage.duckdb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of one batch for one table, assembled column by column in Arrow vectors that DuckDB then reads through
 * the C data interface ({@link DuckDbArrowInserter}). The vectors and their buffers are kept from batch to batch
 * ({@link #clear()} zeroes them), so a steady stream of batches allocates no off-heap memory once warm. Not
 * thread-safe: confined to the writer thread.
 */
abstract class ArrowTableRows implements DictionaryProvider, AutoCloseable {

    private final String table;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final List<ArrowColumns.DictionaryAttributesColumn> dictionaryColumns = new ArrayList<>();
    private int rowCount;

    ArrowTableRows(String table, Schema schema, BufferAllocator allocator) {
        this.table = table;
        this.allocator = allocator;
        root = VectorSchemaRoot.create(schema, allocator);
    }

    /** The DuckDB table the rows go to; the vectors are named like its columns. */
    final String table() {
        return table;
    }

    /** The vectors, with {@link #rowCount()} rows. */
    final VectorSchemaRoot root() {
        root.setRowCount(rowCount);
        return root;
    }

    final int rowCount() {
        return rowCount;
    }

    /** Reserves the next row and returns its index. */
    final int nextRow() {
        return rowCount++;
    }

    @SuppressWarnings("unchecked")
    final <V extends FieldVector> V vector(String column) {
        V vector = (V) root.getVector(column);
        if (vector == null) {
            throw new IllegalArgumentException("column: " + column + " (expected: one of " + root.getSchema() + ")");
        }
        return vector;
    }

    /** The dictionary-encoded column {@code column} ({@link ArrowColumns#dictionaryAttributes(String, long)}). */
    final ArrowColumns.DictionaryAttributesColumn dictionaryAttributes(String column, boolean sortKeys) {
        IntVector indexes = vector(column);
        ArrowColumns.DictionaryAttributesColumn dictionaryColumn =
                new ArrowColumns.DictionaryAttributesColumn(indexes, allocator, sortKeys);
        dictionaryColumns.add(dictionaryColumn);
        return dictionaryColumn;
    }

    @Override
    public final Dictionary lookup(long id) {
        for (ArrowColumns.DictionaryAttributesColumn column : dictionaryColumns) {
            if (column.id() == id) {
                return column.dictionary();
            }
        }
        return null;
    }

    @Override
    public final Set<Long> getDictionaryIds() {
        Set<Long> ids = new HashSet<>();
        for (ArrowColumns.DictionaryAttributesColumn column : dictionaryColumns) {
            ids.add(column.id());
        }
        return ids;
    }

    /** Empties the rows, keeping the buffers for the next batch. */
    final void clear() {
        for (FieldVector vector : root.getFieldVectors()) {
            vector.reset();
        }
        for (ArrowColumns.DictionaryAttributesColumn column : dictionaryColumns) {
            column.clear();
        }
        root.setRowCount(0);
        rowCount = 0;
    }

    /** Frees the buffers. */
    @Override
    public final void close() {
        root.close();
        for (ArrowColumns.DictionaryAttributesColumn column : dictionaryColumns) {
            column.close();
        }
    }
}
