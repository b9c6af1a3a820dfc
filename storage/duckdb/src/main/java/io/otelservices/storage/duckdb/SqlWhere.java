package io.otelservices.storage.duckdb;

import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.TimeRange;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code WHERE} clause built from fixed SQL fragments with {@code ?} placeholders; user values only ever travel
 * as bound parameters, never as SQL text.
 */
final class SqlWhere {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    /** Adds {@code condition}, a fixed fragment whose placeholders take {@code values} in order. */
    SqlWhere and(String condition, Object... values) {
        sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
        for (Object value : values) {
            parameters.add(value);
        }
        return this;
    }

    /** Adds {@code condition} unless {@code value} is {@code null}. */
    SqlWhere andIfPresent(String condition, Object value) {
        return value == null ? this : and(condition, value);
    }

    /** {@code column} within the half-open {@code range}. */
    SqlWhere andWithin(String column, TimeRange range) {
        return and(column + " >= ? AND " + column + " < ?", range.startNanos(), range.endNanos());
    }

    /** Each filter holds on the item's own attribute map or on its resource's. */
    SqlWhere andAttributes(String itemAttributesColumn, List<AttributeFilter> filters) {
        for (AttributeFilter filter : filters) {
            // DuckDB 2.0: map[key] is the value, or NULL where the key is absent (so the comparison is NULL, false).
            and("(" + itemAttributesColumn + "[?] = ? OR ResourceAttributes[?] = ?)",
                    filter.key(), filter.value(), filter.key(), filter.value());
        }
        return this;
    }

    @Override
    public String toString() {
        return sql.toString();
    }

    /** Binds the parameters from {@code firstIndex} on; returns the next free index. */
    int bind(PreparedStatement statement, int firstIndex) throws SQLException {
        int index = firstIndex;
        for (Object value : parameters) {
            if (value instanceof Long longValue) {
                statement.setLong(index++, longValue);
            } else if (value instanceof Integer intValue) {
                statement.setInt(index++, intValue);
            } else {
                statement.setString(index++, (String) value);
            }
        }
        return index;
    }
}
