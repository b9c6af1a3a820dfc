package io.otelservices.storage.duckdb;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The Arrow types that DuckDB reads as the column types of {@link DuckDbSchema} ({@code VARCHAR} as Utf8,
 * {@code INTEGER}/{@code BIGINT} as signed Int32/Int64, {@code MAP(VARCHAR, VARCHAR)} as Map of Utf8 to Utf8,
 * {@code STRUCT(...)[]} as List of Struct with the same field names), and setters for the composite ones.
 */
final class ArrowColumns {

    private static final ArrowType.Int INT32 = new ArrowType.Int(32, true);
    private static final ArrowType INT64 = new ArrowType.Int(64, true);
    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    private ArrowColumns() {}

    static Field varchar(String name) {
        return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
    }

    static Field integer(String name) {
        return new Field(name, FieldType.nullable(INT32), null);
    }

    static Field bigint(String name) {
        return new Field(name, FieldType.nullable(INT64), null);
    }

    static Field doubleColumn(String name) {
        return new Field(name, FieldType.nullable(FLOAT64), null);
    }

    static Field bool(String name) {
        return new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
    }

    /** {@code MAP(VARCHAR, VARCHAR)}: Arrow's map layout, a list of non-null {@code entries} structs. */
    static Field attributes(String name) {
        Field entries = new Field(MapVector.DATA_VECTOR_NAME, FieldType.notNullable(ArrowType.Struct.INSTANCE),
                List.of(new Field(MapVector.KEY_NAME, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                        new Field(MapVector.VALUE_NAME, FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        return new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries));
    }

    /**
     * {@code MAP(VARCHAR, VARCHAR)} as indexes into a dictionary of distinct maps ({@link DictionaryAttributesColumn}).
     * DuckDB converts (and checks for duplicate keys) each dictionary value once rather than once per row, and the
     * rows of a resource cost one index each; {@code id} tells the table's dictionaries apart.
     */
    static Field dictionaryAttributes(String name, long id) {
        return new Field(name, new FieldType(true, INT32, new DictionaryEncoding(id, false, INT32)), null);
    }

    /** {@code STRUCT(fields...)[]}. */
    static Field structList(String name, Field... fields) {
        Field struct = new Field("element", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(fields));
        return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(struct));
    }

    /** {@code BIGINT[]}. */
    static Field bigintList(String name) {
        return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
                List.of(new Field("element", FieldType.nullable(INT64), null)));
    }

    /** {@code DOUBLE[]}. */
    static Field doubleList(String name) {
        return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
                List.of(new Field("element", FieldType.nullable(FLOAT64), null)));
    }

    static void setString(VarCharVector vector, int index, String value) {
        // Encoding an ASCII string is an array copy (JDK compact strings); cheaper than encoding into the buffer.
        vector.setSafe(index, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code MAP(VARCHAR, VARCHAR)} column; caches the vectors of its entries. */
    static final class AttributesColumn {
        private final MapVector map;
        private final StructVector entries;
        private final VarCharVector keys;
        private final VarCharVector values;

        AttributesColumn(MapVector map) {
            this.map = map;
            entries = (StructVector) map.getDataVector();
            keys = (VarCharVector) entries.getChild(MapVector.KEY_NAME);
            values = (VarCharVector) entries.getChild(MapVector.VALUE_NAME);
        }

        /** Sets row {@code index} to {@code attributes}, entries in the map's iteration order. */
        void set(int index, Map<String, String> attributes) {
            int offset = map.startNewValue(index);
            int entry = offset;
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                setString(keys, entry, attribute.getKey());
                setString(values, entry, attribute.getValue());
                entries.setIndexDefined(entry);
                entry++;
            }
            map.endValue(index, entry - offset);
        }
    }

    /**
     * A {@code MAP(VARCHAR, VARCHAR)} column of {@link #dictionaryAttributes(String, long)}: each distinct map goes
     * once into the dictionary, each row holds the index of its map. Suits maps shared by many rows (resource and
     * scope attributes); equal maps share an entry, as do maps that are the same object as the previous row's.
     */
    static final class DictionaryAttributesColumn implements AutoCloseable {
        private final IntVector indexes;
        private final MapVector values;
        private final AttributesColumn valueWriter;
        private final Dictionary dictionary;
        private final boolean sortKeys;
        private final Map<Map<String, String>, Integer> indexByValue = new HashMap<>();
        private Map<String, String> previous;
        private int previousIndex;

        /**
         * @param sortKeys whether the dictionary holds each map in key order (DuckDB MAP equality depends on entry
         *     order, so maps compared in SQL are sorted)
         */
        DictionaryAttributesColumn(IntVector indexes, BufferAllocator allocator, boolean sortKeys) {
            this.indexes = indexes;
            this.sortKeys = sortKeys;
            DictionaryEncoding encoding = indexes.getField().getDictionary();
            values = (MapVector) attributes(indexes.getName()).createVector(allocator);
            valueWriter = new AttributesColumn(values);
            dictionary = new Dictionary(values, encoding);
        }

        long id() {
            return dictionary.getEncoding().getId();
        }

        void set(int row, Map<String, String> attributes) {
            if (attributes != previous) {
                Integer index = indexByValue.get(attributes);
                if (index == null) {
                    index = indexByValue.size();
                    indexByValue.put(attributes, index);
                    valueWriter.set(index, sortKeys && attributes.size() > 1 ? new TreeMap<>(attributes) : attributes);
                }
                previous = attributes;
                previousIndex = index;
            }
            indexes.setSafe(row, previousIndex);
        }

        /** The distinct maps so far. */
        Dictionary dictionary() {
            values.setValueCount(indexByValue.size());
            return dictionary;
        }

        /** Empties the dictionary, keeping its buffers (the indexes are cleared with the other columns). */
        void clear() {
            values.reset();
            indexByValue.clear();
            previous = null;
        }

        @Override
        public void close() {
            values.close();
        }
    }
}
