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
            // Count first, so that a too wide selection fails before any point is loaded. The writer stores
            // identity maps sorted by key, so SQL's (order-sensitive) MAP equality is set equality here.
            Map<MetricType, String> relations = relations(connection, query.range());
            long seriesCount = countSeries(connection, relations, where);
            if (seriesCount > query.maxSeries()) {
                throw new QueryLimitExceededException("series of metric " + query.metricName() + ": "
                        + seriesCount + " (expected: <= maxSeries " + query.maxSeries() + ")");
            }
            List<MetricSeries> result = new ArrayList<>();
            for (MetricType type : MetricType.values()) {
                selectPoints(connection, type, relations.get(type), where, result);
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
                // The latest point's description wins; among points at one time, the greatest description.
                union.add("SELECT MetricName, " + type.ordinal() + " AS TypeOrdinal, MetricUnit, "
                        + "arg_max(MetricDescription, (TimeUnix, MetricDescription)) AS MetricDescription FROM "
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
                                rs.getString("MetricDescription")));
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

    private static long countSeries(DuckDBConnection connection, Map<MetricType, String> relations, SqlWhere where)
            throws SQLException {
        StringJoiner sum = new StringJoiner(" + ", "SELECT ", "");
        for (MetricType type : MetricType.values()) {
            sum.add("(SELECT count(*) FROM (SELECT DISTINCT " + IDENTITY_COLUMNS + " FROM " + relations.get(type)
                    + where + "))");
        }
        try (PreparedStatement statement = connection.prepareStatement(sum.toString())) {
            int next = 1;
            for (int i = 0; i < MetricType.values().length; i++) {
                next = where.bind(statement, next);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The points of one type's table, grouped into series. Identities are read once per series: the driver converts
     * every MAP value of every row it returns, and resource attribute maps cost ~70 µs a row (1.5 s for 22,000
     * points), so the points query leaves the maps out and names its series by a hash of the identity.
     */
    private static void selectPoints(DuckDBConnection connection, MetricType type, String relation, SqlWhere where,
            List<MetricSeries> result) throws SQLException {
        String identity = "MetricName, MetricUnit, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, Attributes";
        // 63 bits of DuckDB's 64-bit hash, so that it fits a BIGINT.
        String hashed = "(SELECT *, (hash(" + identity + ") >> 1)::BIGINT AS SeriesHash FROM " + relation + where + ")";
        Map<Long, SeriesKey> keys = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT SeriesHash, " + identity + " FROM " + hashed)) {
            where.bind(statement, 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SeriesKey key = new SeriesKey(rs.getString("MetricName"), rs.getString("MetricUnit"),
                            rs.getString("ServiceName"),
                            DuckDbRowReader.attributes(rs.getObject("ResourceAttributes")),
                            rs.getString("ScopeName"), rs.getString("ScopeVersion"),
                            DuckDbRowReader.attributes(rs.getObject("Attributes")));
                    SeriesKey previous = keys.put(rs.getLong("SeriesHash"), key);
                    if (previous != null && !previous.equals(key)) {
                        throw new SQLException("two series of " + key.metricName() + " share an identity hash");
                    }
                }
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        // Only the columns a point needs: the driver converts every returned column of every row, read or not
        // (22,000 sum points: 60 ms with these columns, 300 ms with all but the maps).
        String sql = "SELECT SeriesHash, MetricDescription, StartTimeUnix, TimeUnix, Flags, Exemplars, "
                + valueColumns(type) + " FROM " + hashed + " ORDER BY TimeUnix, StartTimeUnix";
        Map<SeriesKey, SeriesBuilder> bySeries = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            where.bind(statement, 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SeriesKey key = keys.get(rs.getLong("SeriesHash"));
                    SeriesBuilder series = bySeries.computeIfAbsent(key, k -> new SeriesBuilder());
                    long time = rs.getLong("TimeUnix");
                    series.points.add(new SeriesPoint(rs.getLong("StartTimeUnix"), time, rs.getInt("Flags"),
                            DuckDbRowReader.metricValue(type, rs),
                            DuckDbRowReader.exemplars(rs.getArray("Exemplars"))));
                    String description = rs.getString("MetricDescription");
                    // Rows come by time, so a later row is the latest; among equal times the greatest wins.
                    if (series.description == null || time > series.descriptionTime
                            || description.compareTo(series.description) > 0) {
                        series.description = description;
                        series.descriptionTime = time;
                    }
                }
            }
        }
        for (Map.Entry<SeriesKey, SeriesBuilder> entry : bySeries.entrySet()) {
            SeriesKey key = entry.getKey();
            result.add(new MetricSeries(type, key.metricName(), key.metricUnit(), entry.getValue().description,
                    key.serviceName(), key.resourceAttributes(), key.scopeName(), key.scopeVersion(),
                    key.attributes(), entry.getValue().points));
        }
    }

    /** The columns {@link DuckDbRowReader#metricValue} reads for {@code type}. */
    private static String valueColumns(MetricType type) {
        return switch (type) {
            case GAUGE -> "Value";
            case SUM -> "Value, AggregationTemporality, IsMonotonic";
            case HISTOGRAM -> "Count, Sum, BucketCounts, ExplicitBounds, Min, Max, AggregationTemporality";
            case EXPONENTIAL_HISTOGRAM -> "Count, Sum, Scale, ZeroCount, ZeroThreshold, PositiveOffset, "
                    + "PositiveBucketCounts, NegativeOffset, NegativeBucketCounts, Min, Max, AggregationTemporality";
            case SUMMARY -> "Count, Sum, ValueAtQuantiles";
        };
    }

    private record SeriesKey(
            String metricName, String metricUnit, String serviceName, Map<String, String> resourceAttributes,
            String scopeName, String scopeVersion, Map<String, String> attributes) {}

    private static final class SeriesBuilder {
        final List<SeriesPoint> points = new ArrayList<>();
        String description;
        long descriptionTime = Long.MIN_VALUE;
    }
}
