package io.otelservices.storage.duckdb;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** SQL against a store's tables, run through its read pool (one transaction per query, as the readers run). */
final class StorageSql {

    private StorageSql() {}

    /** The number in the first column of the first row of {@code sql}. */
    static long count(DuckDbStorage storage, String sql) throws Exception {
        return storage.query(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    /** The first column of every row of {@code sql}. */
    static List<String> strings(DuckDbStorage storage, String sql) throws Exception {
        return storage.query(connection -> {
            List<String> values = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }).get(30, TimeUnit.SECONDS);
    }
}
