package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.MetricType;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import org.duckdb.DuckDBConnection;

/** Reads the five {@code otel_metrics_*} tables; filters run in SQL, points are grouped into series here. */
final class DuckDbSeriesReader implements SeriesReader {

    private static final String IDENTITY_COLUMNS =
            "MetricUnit, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, Attributes";
    /** A series' identity hash: stored in sealed blocks, computed for hot rows and older blocks. */
    private static final String IDENTITY_HASH = "coalesce(SeriesHash, " + StoredTable.SERIES_HASH + ")";
    private static final String IDENTITY_CHECK_HASH = "coalesce(CheckHash, " + StoredTable.CHECK_HASH + ")";

    private final DuckDbReadPool pool;
    private final TableSources sources;

    DuckDbSeriesReader(DuckDbReadPool pool, TableSources sources) {
        this.pool = pool;
        this.sources = sources;
    }

    @Override
    public CompletableFuture<List<MetricSeries>> select(SeriesQuery query) {
        requireNonNull(query, "query");
        SqlWhere where = new SqlWhere()
                .and("MetricName = ?", query.metricName())
                .andWithin("TimeUnix", query.range())
                .andIfPresent("ServiceName = ?", query.serviceName())
                .andAttributes("Attributes", query.attributes());
        Resolution resolution = Resolution.of(query.range(), query.hints().stepNanos());
        if (resolution != Resolution.RAW && RollupSeries.serves(query.hints().function())) {
            return selectFromRollups(query, resolution, where);
        }
        return pool.submit("select series of " + query.metricName(), connection -> {
            // Identities first, so that a too wide selection fails before any point is loaded (and converts no
            // more identity maps than the limit allows).
            Map<MetricType, String> relations = relations(connection, query.range());
            Map<MetricType, Map<Long, SeriesKey>> identities = new EnumMap<>(MetricType.class);
            long seriesCount = 0;
            for (MetricType type : MetricType.values()) {
                Map<Long, SeriesKey> keys = new HashMap<>();
                seriesCount += readIdentities(connection, relations.get(type), where, keys,
                        query.maxSeries() - seriesCount);
                identities.put(type, keys);
            }
            if (seriesCount > query.maxSeries()) {
                throw new QueryLimitExceededException("series of metric " + query.metricName() + ": "
                        + seriesCount + " (expected: <= maxSeries " + query.maxSeries() + ")");
            }
            List<MetricSeries> result = new ArrayList<>();
            for (MetricType type : MetricType.values()) {
                selectPoints(connection, type, relations.get(type), where, identities.get(type),
                        query.hints().exemplars(), result);
            }
            result.sort(MetricSeries.IDENTITY_ORDER);
            return result;
        });
    }

    /** A long range at a coarse step, from the 5-minute or hourly rollups ({@link RollupSeries}). */
    private CompletableFuture<List<MetricSeries>> selectFromRollups(SeriesQuery query, Resolution resolution,
            SqlWhere where) {
        StoredTable table = resolution == Resolution.ONE_HOUR ? StoredTable.METRICS_ROLLUP_1H
                : StoredTable.METRICS_ROLLUP_5M;
        return pool.submit("select series of " + query.metricName() + " from rollups", connection -> {
            // Sealed hours come from the rollup blocks; rows still hot are rolled up here, the same way, so that
            // the series reach up to now (a row is either hot or sealed in this snapshot, never both).
            StringBuilder relation = new StringBuilder("(SELECT * FROM ")
                    .append(sources.relation(connection, table, query.range()));
            for (MetricType type : MetricType.values()) {
                for (Rollups.Rollup rollup : Rollups.of(StoredTable.of(type), type.tableName())) {
                    if (rollup.table() == table) {
                        relation.append(" UNION ALL BY NAME SELECT * FROM (").append(rollup.select()).append(')');
                    }
                }
            }
            relation.append(')');
            String sql = "SELECT * FROM " + relation + where + " ORDER BY TimeUnix, LastTimeUnix";
            RollupSeries series = new RollupSeries(query.hints().function());
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                where.bind(statement, 1);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        series.add(rs);
                        if (series.seriesCount() > query.maxSeries()) {
                            throw new QueryLimitExceededException("series of metric " + query.metricName()
                                    + ": more than " + query.maxSeries() + " (expected: <= maxSeries "
                                    + query.maxSeries() + ")");
                        }
                    }
                }
            }
            return series.build();
        });
    }

    @Override
    public CompletableFuture<List<MetricName>> metricNames(String serviceName, TimeRange range) {
        requireNonNull(range, "range");
        SqlWhere where = new SqlWhere().andWithin("TimeUnix", range).andIfPresent("ServiceName = ?", serviceName);
        return pool.submit("list metric names", connection -> {
            Map<MetricType, String> relations = relations(connection, range);
            StringJoiner union = new StringJoiner(" UNION ALL ");
            for (MetricType type : MetricType.values()) {
                // The latest point's description wins; among points at one time, the greatest description. The
                // metadata comes from the same point.
                union.add("SELECT MetricName, " + type.ordinal() + " AS TypeOrdinal, MetricUnit, "
                        + "arg_max(MetricDescription, (TimeUnix, MetricDescription)) AS MetricDescription, "
                        + "arg_max(MetricMetadata, (TimeUnix, MetricDescription)) AS MetricMetadata FROM "
                        + relations.get(type) + where + " GROUP BY MetricName, MetricUnit");
            }
            String sql = union + " ORDER BY MetricName, TypeOrdinal, MetricUnit";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = 1;
                for (int i = 0; i < MetricType.values().length; i++) {
                    next = where.bind(statement, next);
                }
                List<MetricName> names = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        names.add(new MetricName(rs.getString("MetricName"),
                                MetricType.values()[rs.getInt("TypeOrdinal")], rs.getString("MetricUnit"),
                                rs.getString("MetricDescription"),
                                DuckDbRowReader.attributes(rs.getObject("MetricMetadata"))));
                    }
                }
                return names;
            }
        });
    }

    /** Each metric table's relation (hot and sealed) over {@code range}, read in the query's transaction. */
    private Map<MetricType, String> relations(DuckDBConnection connection, TimeRange range) throws SQLException {
        Map<MetricType, String> relations = new EnumMap<>(MetricType.class);
        for (MetricType type : MetricType.values()) {
            relations.put(type, sources.relation(connection, StoredTable.of(type), range));
        }
        return relations;
    }

    /**
     * The series of one type's table: one row per identity hash (grouping by the BIGINT, not by the maps: 2× faster),
     * where a second hash over the columns in another order tells two identities that share the first apart.
     * Converts at most {@code room} identities into {@code keys} (the driver converts every MAP value it returns,
     * ~70 µs for a resource attribute map); returns how many there are.
     */
    private static long readIdentities(DuckDBConnection connection, String relation, SqlWhere where,
            Map<Long, SeriesKey> keys, long room) throws SQLException {
        long count = 0;
        // The latest point's description wins; among points at one time, the greatest description.
        try (PreparedStatement statement = connection.prepareStatement("SELECT SeriesHash, any_value(MetricName), "
                + "any_value(MetricUnit), any_value(ServiceName), any_value(ResourceAttributes), any_value(ScopeName), "
                + "any_value(ScopeVersion), any_value(Attributes), min(CheckHash) <> max(CheckHash), "
                + "arg_max(MetricDescription, (TimeUnix, MetricDescription)), max(TimeUnix) FROM "
                + hashed(relation, where) + " GROUP BY SeriesHash")) {
            where.bind(statement, 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (++count > room) {
                        continue;
                    }
                    SeriesKey key = new SeriesKey(rs.getString(2), rs.getString(3), rs.getString(4),
                            DuckDbRowReader.attributes(rs.getObject(5)), rs.getString(6), rs.getString(7),
                            DuckDbRowReader.attributes(rs.getObject(8)), rs.getString(10), rs.getLong(11));
                    if (rs.getBoolean(9)) {
                        throw new SQLException("two series of " + key.metricName() + " share an identity hash");
                    }
                    keys.put(rs.getLong(1), key);
                }
            }
        }
        return count;
    }

    /** {@code relation} filtered by {@code where}, with each row's identity hashes (stored, else computed). */
    private static String hashed(String relation, SqlWhere where) {
        return "(SELECT * REPLACE (" + IDENTITY_HASH + " AS SeriesHash, " + IDENTITY_CHECK_HASH
                + " AS CheckHash) FROM " + relation + where + ")";
    }

    /**
     * The points of one type's table, grouped into the series {@code keys} names. The points query leaves the
     * identity maps and descriptions out (the identities query has them) and names its series by the identity hash.
     */
    private static void selectPoints(DuckDBConnection connection, MetricType type, String relation, SqlWhere where,
            Map<Long, SeriesKey> keys, boolean exemplars, List<MetricSeries> result) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        // Only the columns a point needs: the driver converts every returned column of every row, read or not
        // (22,000 sum points: 60 ms with these columns, 300 ms with all but the maps). Read by index, and points
        // grouped by the identity hash: hashing the identity's attribute maps per point cost another third.
        String sql = "SELECT SeriesHash, StartTimeUnix, TimeUnix, Flags, " + (exemplars ? "Exemplars" : "NULL") + ", "
                + DuckDbRowReader.metricValueColumns(type) + " FROM " + hashed(relation, where)
                + " ORDER BY TimeUnix, StartTimeUnix";
        Map<Long, List<SeriesPoint>> bySeries = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            where.bind(statement, 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<SeriesPoint> points = bySeries.computeIfAbsent(rs.getLong(1), hash -> new ArrayList<>());
                    points.add(new SeriesPoint(rs.getLong(2), rs.getLong(3), rs.getInt(4),
                            DuckDbRowReader.metricValue(type, rs, 6),
                            exemplars ? DuckDbRowReader.exemplars(rs.getArray(5)) : List.of()));
                }
            }
        }
        // One identity under two hashes (blocks sealed by a DuckDB whose hash() differed) is still one series.
        Map<SeriesKey, SeriesBuilder> byKey = new LinkedHashMap<>();
        for (Map.Entry<Long, List<SeriesPoint>> entry : bySeries.entrySet()) {
            SeriesKey key = keys.get(entry.getKey());
            SeriesKey identity = key.withoutDescription();
            SeriesBuilder same = byKey.get(identity);
            if (same == null) {
                SeriesBuilder series = new SeriesBuilder(entry.getValue(), key.description(), key.descriptionTime());
                byKey.put(identity, series);
                continue;
            }
            same.points.addAll(entry.getValue());
            same.points.sort(Comparator.comparingLong(SeriesPoint::timeNanos)
                    .thenComparingLong(SeriesPoint::startTimeNanos));
            if (key.descriptionTime() > same.descriptionTime) {
                same.description = key.description();
                same.descriptionTime = key.descriptionTime();
            }
        }
        for (Map.Entry<SeriesKey, SeriesBuilder> entry : byKey.entrySet()) {
            SeriesKey key = entry.getKey();
            result.add(new MetricSeries(type, key.metricName(), key.metricUnit(), entry.getValue().description,
                    key.serviceName(), key.resourceAttributes(), key.scopeName(), key.scopeVersion(),
                    key.attributes(), entry.getValue().points));
        }
    }

    /** A series' identity, with its latest description and that description's time. */
    private record SeriesKey(
            String metricName, String metricUnit, String serviceName, Map<String, String> resourceAttributes,
            String scopeName, String scopeVersion, Map<String, String> attributes, String description,
            long descriptionTime) {

        SeriesKey withoutDescription() {
            return new SeriesKey(metricName, metricUnit, serviceName, resourceAttributes, scopeName, scopeVersion,
                    attributes, "", Long.MIN_VALUE);
        }
    }

    private static final class SeriesBuilder {
        final List<SeriesPoint> points;
        String description;
        long descriptionTime;

        SeriesBuilder(List<SeriesPoint> points, String description, long descriptionTime) {
            this.points = points;
            this.description = description;
            this.descriptionTime = descriptionTime;
        }
    }
}
