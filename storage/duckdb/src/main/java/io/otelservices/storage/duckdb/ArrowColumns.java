package io.otelservices.storage.duckdb;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The Arrow types that DuckDB reads as the column types of {@link DuckDbSchema} ({@code VARCHAR} as Utf8,
 * {@code INTEGER}/{@code BIGINT} as signed Int32/Int64, {@code MAP(VARCHAR, VARCHAR)} as Map of Utf8 to Utf8,
 * {@code STRUCT(...)[]} as List of Struct with the same field names), and setters for the composite ones.
 */
final class ArrowColumns {

    private static final ArrowType INT32 = new ArrowType.Int(32, true);
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
}
