package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.Span;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.TraceSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.duckdb.DuckDBConnection;

/** Reads {@code otel_traces}, hot and sealed ({@link TableSources}); every filter runs in SQL. */
final class DuckDbTraceReader implements TraceReader {

    private final DuckDbReadPool pool;
    private final TableSources sources;
    private final long exactQuantileSpans;
    private final SpanStatistics statistics;

    /** @param exactQuantileSpans see {@link DuckDbConfig#exactQuantileSpans()} */
    DuckDbTraceReader(DuckDbReadPool pool, TableSources sources, long exactQuantileSpans) {
        this.pool = pool;
        this.sources = sources;
        this.exactQuantileSpans = exactQuantileSpans;
        this.statistics = new SpanStatistics(sources, SpanStatistics.DEFAULT_CACHE_BYTES);
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
        return pool.submit("find traces", connection -> {
            // First the newest matching traces, block by block from the newest; then a summary over all of their
            // spans, matching or not, wherever the trace index says they are.
            LatestMatches latest = new LatestMatches(where, query.limit());
            NewestFirstScan.run(connection, sources, StoredTable.TRACES, query.range(), latest);
            List<String> traceIds = latest.best();
            Map<String, TraceSummary> summaries = summarize(connection, traceIds);
            List<TraceSummary> found = new ArrayList<>(traceIds.size());
            for (String traceId : traceIds) {
                found.add(summaries.get(traceId));
            }
            return found;
        });
    }

    /**
     * The running answer of a trace search: each trace's latest matching span start, from the top {@code limit} of
     * every step. A trace outside a step's top {@code limit} has {@code limit} traces at least as new in that step
     * alone, so its match there cannot place it in the overall top {@code limit}.
     */
    private static final class LatestMatches implements NewestFirstScan.Step {

        private static final Comparator<Map.Entry<String, Long>> NEWEST_FIRST =
                Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

        private final SqlWhere where;
        private final int limit;
        private final Map<String, Long> latestMatch = new HashMap<>();

        LatestMatches(SqlWhere where, int limit) {
            this.where = where;
            this.limit = limit;
        }

        @Override
        public void read(Connection connection, String relation) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT TraceId, max(Timestamp) FROM "
                    + relation + where + " GROUP BY TraceId ORDER BY 2 DESC, TraceId LIMIT ?")) {
                statement.setInt(where.bind(statement, 1), limit);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        latestMatch.merge(rs.getString(1), rs.getLong(2), Math::max);
                    }
                }
            }
        }

        @Override
        public boolean completeBefore(long newestRemaining) {
            if (latestMatch.size() < limit) {
                return false;
            }
            // Strictly newer: a remaining trace as new as the last one could still sort before it by id.
            return sorted().get(limit - 1).getValue() > newestRemaining;
        }

        List<String> best() {
            List<Map.Entry<String, Long>> sorted = sorted();
            List<String> traceIds = new ArrayList<>(Math.min(limit, sorted.size()));
            for (int i = 0; i < sorted.size() && i < limit; i++) {
                traceIds.add(sorted.get(i).getKey());
            }
            return traceIds;
        }

        private List<Map.Entry<String, Long>> sorted() {
            List<Map.Entry<String, Long>> entries = new ArrayList<>(latestMatch.entrySet());
            entries.sort(NEWEST_FIRST);
            return entries;
        }
    }

    /**
     * Summaries of {@code traceIds} over all of their stored spans: the hot table and the blocks the trace index
     * names. Reads only the few flat columns a summary needs. The root is the earliest span without a parent, else
     * the earliest span: false sorts before true.
     */
    private Map<String, TraceSummary> summarize(Connection connection, List<String> traceIds) throws SQLException {
        Map<String, TraceSummary> summaries = new HashMap<>();
        if (traceIds.isEmpty()) {
            return summaries;
        }
        String ids = String.join(", ", Collections.nCopies(traceIds.size(), "?"));
        String relation = sources.relation(StoredTable.TRACES,
                BlockCatalog.withIds(connection, indexedBlocks(connection, traceIds)));
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT TraceId, min(Timestamp) AS StartNanos, max(Timestamp + Duration) AS EndNanos,
                    count(*) AS SpanCount, count(*) FILTER (WHERE StatusCode = ?) AS ErrorCount,
                    arg_min(ServiceName, (ParentSpanId <> '', Timestamp, SpanId)) AS RootServiceName,
                    arg_min(SpanName, (ParentSpanId <> '', Timestamp, SpanId)) AS RootSpanName
                FROM %s WHERE TraceId IN (%s)
                GROUP BY TraceId""".formatted(relation, ids))) {
            statement.setString(1, Span.StatusCode.ERROR);
            for (int i = 0; i < traceIds.size(); i++) {
                statement.setString(i + 2, traceIds.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong("StartNanos");
                    summaries.put(rs.getString("TraceId"), new TraceSummary(rs.getString("TraceId"),
                            rs.getString("RootServiceName"), rs.getString("RootSpanName"), start,
                            rs.getLong("EndNanos") - start, rs.getInt("SpanCount"), rs.getInt("ErrorCount")));
                }
            }
        }
        return summaries;
    }

    /** The sealed blocks that hold spans of any of {@code traceIds}, from the trace index. */
    private static List<Long> indexedBlocks(Connection connection, List<String> traceIds) throws SQLException {
        String ids = String.join(", ", Collections.nCopies(traceIds.size(), "?"));
        try (PreparedStatement index = connection.prepareStatement(
                "SELECT DISTINCT BlockId FROM " + DuckDbSchema.TRACE_INDEX + " WHERE TraceId IN (" + ids + ")")) {
            for (int i = 0; i < traceIds.size(); i++) {
                index.setString(i + 1, traceIds.get(i));
            }
            List<Long> blockIds = new ArrayList<>();
            try (ResultSet rs = index.executeQuery()) {
                while (rs.next()) {
                    blockIds.add(rs.getLong(1));
                }
            }
            return blockIds;
        }
    }

    @Override
    public CompletableFuture<List<Span>> getTrace(String traceId, TimeRange hint) {
        requireNonNull(traceId, "traceId");
        requireNonNull(hint, "hint");
        // The hint is not needed: the trace index names the blocks that hold the trace, whatever their time.
        return pool.submit("get trace " + traceId, connection -> {
            String relation = sources.relation(StoredTable.TRACES,
                    BlockCatalog.withIds(connection, indexedBlocks(connection, List.of(traceId))));
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
        return pool.submit("compute service stats", connection -> {
            // Whole hours inside the range whose spans are sealed have hourly span statistics; where they hold many
            // spans, their sketches answer those hours and raw rows only the rest.
            boolean bounded = range.startNanos() > Long.MIN_VALUE / 2 && range.endNanos() < Long.MAX_VALUE / 2;
            long firstHour = bounded ? ceilHour(range.startNanos()) : 0;
            long endHour = bounded ? floorHour(range.endNanos()) : 0;
            if (firstHour < endHour) {
                List<BlockCatalog.Block> blocks = BlockCatalog.overlapping(connection, StoredTable.TRACES, range);
                long sealedInWholeHours = 0;
                List<BlockCatalog.Block> edgeBlocks = new ArrayList<>();
                for (BlockCatalog.Block block : blocks) {
                    if (block.partitionStart() >= firstHour && block.partitionStart() < endHour) {
                        sealedInWholeHours += block.rowCount();
                    } else {
                        edgeBlocks.add(block);
                    }
                }
                TimeRange wholeHours = new TimeRange(firstHour, endHour);
                if (sealedInWholeHours >= exactQuantileSpans) {
                    // The statistics must count exactly the hours' sealed spans; otherwise (an hour sealed before
                    // statistics existed, or whose raw blocks are gone) the exact path answers.
                    Map<String, SpanStatistics.Accumulator> merged = statistics.sealedHours(connection, wholeHours);
                    long counted = merged.values().stream().mapToLong(service -> service.spans).sum();
                    if (counted == sealedInWholeHours) {
                        SpanStatistics.addRaw(connection, sources.relation(StoredTable.TRACES, edgeBlocks), range,
                                merged);
                        return SpanStatistics.toStats(merged);
                    }
                }
            }
            return exactServiceStats(connection, range);
        });
    }

    /** Exact counts and nearest-rank percentiles over every span of {@code range}. */
    private List<ServiceStats> exactServiceStats(Connection connection, TimeRange range) throws SQLException {
        SqlWhere where = new SqlWhere().andWithin("Timestamp", range);
        // quantile_disc picks the element at 1-based rank ceil(q * n): the nearest-rank percentile of the SPI
        // (checked for n = 1..300 against integer arithmetic, and by the contract suite).
        String sql = """
                SELECT ServiceName, count(*) AS SpanCount,
                    count(*) FILTER (WHERE StatusCode = ?) AS ErrorCount,
                    quantile_disc(Duration, 0.5) AS P50,
                    quantile_disc(Duration, 0.95) AS P95,
                    quantile_disc(Duration, 0.99) AS P99,
                    list_sort(list(DISTINCT SpanName)) AS Operations
                FROM %s%s
                GROUP BY ServiceName ORDER BY ServiceName""".formatted(
                sources.relation(connection, StoredTable.TRACES, range), where);
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
    }

    /**
     * Service statistics of a long range from the hourly span statistics: counts exact (for the hours whose start
     * lies in the range), percentiles from the merged duration sketches (within ±1 %).
     */
    private CompletableFuture<List<ServiceStats>> serviceStatsFromRollups(TimeRange range) {
        return pool.submit("compute service stats from hourly rollups",
                connection -> SpanStatistics.toStats(statistics.sealedHours(connection, range)));
    }

    private static long floorHour(long nanos) {
        return Math.floorDiv(nanos, Rollups.HOUR) * Rollups.HOUR;
    }

    private static long ceilHour(long nanos) {
        long floor = floorHour(nanos);
        return floor == nanos ? floor : floor + Rollups.HOUR;
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

    private static List<String> strings(java.sql.Array array) throws SQLException {
        Object[] elements = (Object[]) array.getArray();
        List<String> values = new ArrayList<>(elements.length);
        for (Object element : elements) {
            values.add((String) element);
        }
        return values;
    }
}
