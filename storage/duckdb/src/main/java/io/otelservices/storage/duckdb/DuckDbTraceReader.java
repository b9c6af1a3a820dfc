package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.Span;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.TraceSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;

/** Reads {@code otel_traces}, hot and sealed ({@link TableSources}); every filter runs in SQL. */
final class DuckDbTraceReader implements TraceReader {

    /**
     * How far beyond the searched range the spans of matched traces are looked for when summarising them: the
     * longest trace whose summary is complete.
     */
    static final long TRACE_MARGIN_NANOS = TimeUnit.HOURS.toNanos(1);

    private final DuckDbReadPool pool;
    private final TableSources sources;

    DuckDbTraceReader(DuckDbReadPool pool, TableSources sources) {
        this.pool = pool;
        this.sources = sources;
    }

    @Override
    public CompletableFuture<List<TraceSummary>> findTraces(TraceQuery query) {
        requireNonNull(query, "query");
        SqlWhere where = new SqlWhere()
                .andWithin("Timestamp", query.range())
                .andIfPresent("TraceId = ?", query.traceId())
                .andIfPresent("ServiceName = ?", query.serviceName())
                .andIfPresent("SpanName = ?", query.spanName())
                .andIfPresent("Duration >= ?", query.minDurationNanos())
                .andIfPresent("Duration <= ?", query.maxDurationNanos())
                .andAttributes("SpanAttributes", query.attributes());
        // First the newest matching traces, then a summary over all of their spans, matching or not. The root is
        // the earliest span without a parent, else the earliest span: false sorts before true.
        String template = """
                WITH matched AS (
                    SELECT TraceId, max(Timestamp) AS LatestMatch FROM %s%s
                    GROUP BY TraceId ORDER BY LatestMatch DESC, TraceId LIMIT ?
                )
                SELECT m.TraceId, m.LatestMatch,
                    min(t.Timestamp) AS StartNanos,
                    max(t.Timestamp + t.Duration) AS EndNanos,
                    count(*) AS SpanCount,
                    count(*) FILTER (WHERE t.StatusCode = ?) AS ErrorCount,
                    arg_min(t.ServiceName, (t.ParentSpanId <> '', t.Timestamp, t.SpanId)) AS RootServiceName,
                    arg_min(t.SpanName, (t.ParentSpanId <> '', t.Timestamp, t.SpanId)) AS RootSpanName
                FROM matched m JOIN %s t ON t.TraceId = m.TraceId
                GROUP BY m.TraceId, m.LatestMatch
                ORDER BY m.LatestMatch DESC, m.TraceId""";
        TimeRange range = query.range();
        TimeRange widened = new TimeRange(saturatedAdd(range.startNanos(), -TRACE_MARGIN_NANOS),
                saturatedAdd(range.endNanos(), TRACE_MARGIN_NANOS));
        return pool.submit("find traces", connection -> {
            String sql = template.formatted(sources.relation(connection, StoredTable.TRACES, range), where,
                    sources.relation(connection, StoredTable.TRACES, widened));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = where.bind(statement, 1);
                statement.setInt(next++, query.limit());
                statement.setString(next, Span.StatusCode.ERROR);
                List<TraceSummary> summaries = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong("StartNanos");
                        summaries.add(new TraceSummary(rs.getString("TraceId"), rs.getString("RootServiceName"),
                                rs.getString("RootSpanName"), start, rs.getLong("EndNanos") - start,
                                rs.getInt("SpanCount"), rs.getInt("ErrorCount")));
                    }
                }
                return summaries;
            }
        });
    }

    @Override
    public CompletableFuture<List<Span>> getTrace(String traceId, TimeRange hint) {
        requireNonNull(traceId, "traceId");
        requireNonNull(hint, "hint");
        // The hint is not needed: the trace index names the blocks that hold the trace, whatever their time.
        return pool.submit("get trace " + traceId, connection -> {
            List<Long> blockIds = new ArrayList<>();
            try (PreparedStatement index = connection.prepareStatement(
                    "SELECT DISTINCT BlockId FROM " + DuckDbSchema.TRACE_INDEX + " WHERE TraceId = ?")) {
                index.setString(1, traceId);
                try (ResultSet rs = index.executeQuery()) {
                    while (rs.next()) {
                        blockIds.add(rs.getLong(1));
                    }
                }
            }
            String relation = sources.relation(StoredTable.TRACES, BlockCatalog.withIds(connection, blockIds));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT * FROM " + relation + " WHERE TraceId = ? ORDER BY Timestamp, SpanId")) {
                statement.setString(1, traceId);
                List<Span> spans = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        spans.add(DuckDbRowReader.span(rs));
                    }
                }
                return spans;
            }
        });
    }

    @Override
    public CompletableFuture<List<ServiceStats>> serviceStats(TimeRange range) {
        requireNonNull(range, "range");
        if (Resolution.of(range, 0) != Resolution.RAW) {
            return serviceStatsFromRollups(range);
        }
        SqlWhere where = new SqlWhere().andWithin("Timestamp", range);
        // quantile_disc picks the element at 1-based rank ceil(q * n): the nearest-rank percentile of the SPI
        // (checked for n = 1..300 against integer arithmetic, and by the contract suite).
        String template = """
                SELECT ServiceName, count(*) AS SpanCount,
                    count(*) FILTER (WHERE StatusCode = ?) AS ErrorCount,
                    quantile_disc(Duration, 0.5) AS P50,
                    quantile_disc(Duration, 0.95) AS P95,
                    quantile_disc(Duration, 0.99) AS P99,
                    list_sort(list(DISTINCT SpanName)) AS Operations
                FROM %s%s
                GROUP BY ServiceName ORDER BY ServiceName""";
        return pool.submit("compute service stats", connection -> {
            String sql = template.formatted(sources.relation(connection, StoredTable.TRACES, range), where);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, Span.StatusCode.ERROR);
                where.bind(statement, 2);
                List<ServiceStats> stats = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        stats.add(new ServiceStats(rs.getString("ServiceName"), rs.getLong("SpanCount"),
                                rs.getLong("ErrorCount"), rs.getLong("P50"), rs.getLong("P95"), rs.getLong("P99"),
                                strings(rs.getArray("Operations"))));
                    }
                }
                return stats;
            }
        });
    }

    /**
     * Service statistics of a long range from the hourly span statistics: counts exact (for the hours whose start
     * lies in the range), percentiles from the merged duration sketches (within ±1 %).
     */
    private CompletableFuture<List<ServiceStats>> serviceStatsFromRollups(TimeRange range) {
        SqlWhere where = new SqlWhere().andWithin("TimeUnix", range);
        String template = """
                WITH s AS (SELECT * FROM %1$s%2$s),
                totals AS (
                    SELECT ServiceName, sum(SpanCount)::BIGINT AS SpanCount, sum(ErrorCount)::BIGINT AS ErrorCount,
                        list_sort(list(DISTINCT SpanName)) AS Operations
                    FROM s GROUP BY ServiceName
                ),
                buckets AS (
                    SELECT ServiceName, b.Bucket AS Bucket, sum(b.Count) AS N
                    FROM (SELECT ServiceName, unnest(DurationSketch) AS b FROM s) GROUP BY ServiceName, b.Bucket
                ),
                cumulative AS (
                    SELECT ServiceName, Bucket,
                        sum(N) OVER (PARTITION BY ServiceName ORDER BY Bucket) AS Cum,
                        sum(N) OVER (PARTITION BY ServiceName) AS Total
                    FROM buckets
                ),
                quantiles AS (
                    SELECT ServiceName,
                        min(Bucket) FILTER (WHERE Cum >= ceil(0.5 * Total)) AS B50,
                        min(Bucket) FILTER (WHERE Cum >= ceil(0.95 * Total)) AS B95,
                        min(Bucket) FILTER (WHERE Cum >= ceil(0.99 * Total)) AS B99
                    FROM cumulative GROUP BY ServiceName
                )
                SELECT t.ServiceName, t.SpanCount, t.ErrorCount, q.B50, q.B95, q.B99, t.Operations
                FROM totals t JOIN quantiles q ON t.ServiceName = q.ServiceName
                ORDER BY t.ServiceName""";
        return pool.submit("compute service stats from hourly rollups", connection -> {
            String sql = template.formatted(sources.relation(connection, StoredTable.SPAN_STATS_1H, range), where);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                where.bind(statement, 1);
                List<ServiceStats> stats = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        stats.add(new ServiceStats(rs.getString("ServiceName"), rs.getLong("SpanCount"),
                                rs.getLong("ErrorCount"), sketchValue(rs.getInt("B50")),
                                sketchValue(rs.getInt("B95")), sketchValue(rs.getInt("B99")),
                                strings(rs.getArray("Operations"))));
                    }
                }
                return stats;
            }
        });
    }

    private static long sketchValue(int bucket) {
        return Math.round(Rollups.sketchValue(bucket));
    }

    @Override
    public CompletableFuture<List<String>> serviceNames(TimeRange range) {
        requireNonNull(range, "range");
        SqlWhere where = new SqlWhere().andWithin("Timestamp", range);
        return pool.submit("list service names", connection -> distinct(connection, "SELECT DISTINCT ServiceName FROM "
                + sources.relation(connection, StoredTable.TRACES, range) + where + " ORDER BY ServiceName", where));
    }

    @Override
    public CompletableFuture<List<String>> spanNames(String serviceName, TimeRange range) {
        requireNonNull(serviceName, "serviceName");
        requireNonNull(range, "range");
        SqlWhere where = new SqlWhere().and("ServiceName = ?", serviceName).andWithin("Timestamp", range);
        return pool.submit("list span names", connection -> distinct(connection, "SELECT DISTINCT SpanName FROM "
                + sources.relation(connection, StoredTable.TRACES, range) + where + " ORDER BY SpanName", where));
    }

    private static List<String> distinct(DuckDBConnection connection, String sql, SqlWhere where)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            where.bind(statement, 1);
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    private static long saturatedAdd(long value, long delta) {
        long sum = value + delta;
        // Overflow happened when both operands share a sign that the sum does not.
        if (((value ^ sum) & (delta ^ sum)) < 0) {
            return delta > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    private static List<String> strings(java.sql.Array array) throws SQLException {
        Object[] elements = (Object[]) array.getArray();
        List<String> values = new ArrayList<>(elements.length);
        for (Object element : elements) {
            values.add((String) element);
        }
        return values;
    }
}
