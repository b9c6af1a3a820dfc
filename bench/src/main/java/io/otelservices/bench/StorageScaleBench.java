package io.otelservices.bench;

import io.otelservices.storage.LogQuery;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.duckdb.BlockPolicy;
import io.otelservices.storage.duckdb.DuckDbConfig;
import io.otelservices.storage.duckdb.DuckDbStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Query latency and bytes on disk at growing data sizes, over a data directory that a server filled and sealed
 * (LoadGenerator with {@code -time-shift}, so that every hour was closed and sealed into blocks; the server stopped).
 *
 * <p>Larger sizes are made by replication: each original raw block of traces, logs and metrics is copied with its
 * trace ids re-keyed (the first four hex digits become the copy number), its times moved by {@code copy mod 24}
 * hours (so that the copies fill a day) and, for metrics, an attribute {@code replica} added (new series); each copy
 * is registered in the block catalog and, for traces, the trace index, like a sealed block. The data keeps the load
 * generator's distributions; only its size grows.
 *
 * <p>At each size it runs the 24-hour queries through the storage SPI, {@code -runs} times each after two warm-ups:
 * trace search by service and minimum duration, trace by id, service statistics, a metric series selection, a log
 * search; and prints p50/p95 per query and bytes per span, log record and metric point.
 *
 * <pre>{@code
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp 'bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' \
 *     io.otelservices.bench.StorageScaleBench -data /tmp/scale/data -factors 1,10,100 -runs 20 [-compact true]
 * }</pre>
 */
public final class StorageScaleBench {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long DAY = TimeUnit.DAYS.toNanos(1);
    private static final List<String> RAW_METRIC_TABLES = List.of("otel_metrics_gauge", "otel_metrics_sum",
            "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary");
    /** The identity hashes sealing stores in raw metric blocks (storage/duckdb StoredTable.SERIES_HASH, CHECK_HASH). */
    private static final String SERIES_HASH = "(hash(MetricName, MetricUnit, ServiceName, ResourceAttributes, "
            + "ScopeName, ScopeVersion, Attributes) >> 1)::BIGINT";
    private static final String CHECK_HASH = "(hash(Attributes, ScopeVersion, ScopeName, ResourceAttributes, "
            + "ServiceName, MetricUnit, MetricName) >> 1)::BIGINT";
    /** Rollups written when the originals were sealed: copied with them, so that queries that read them scale too. */
    private static final List<String> ROLLUP_TABLES = List.of("otel_span_stats_1h", "otel_service_dependencies_1h",
            "otel_metrics_rollup_5m", "otel_metrics_rollup_1h");
    private static final List<String> RAW_TABLES = List.of("otel_traces", "otel_logs", "otel_metrics_gauge",
            "otel_metrics_sum", "otel_metrics_histogram");

    private StorageScaleBench() {}

    private record Original(long id, String table, long partitionStart, long minTime, long maxTime, long rows,
            String path) {}

    public static void main(String[] args) throws Exception {
        Path data = null;
        int[] factors = {1, 10};
        int runs = 20;
        boolean compact = false;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "-compact" -> compact = Boolean.parseBoolean(args[i + 1]);
                case "-data" -> data = Path.of(args[i + 1]);
                case "-factors" -> factors = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "-runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("flag: " + args[i]
                        + " (expected: -data DIR, -factors 1,10,100, -runs N, -compact true|false)");
            }
        }
        if (data == null || !Files.isDirectory(data.resolve("blocks"))) {
            throw new IllegalArgumentException("-data: a server data directory with sealed blocks (expected: "
                    + data + "/blocks to exist)");
        }
        if (compact) {
            // One maintenance run merges the blocks of each table-hour into one (nothing is old enough to drop).
            try (DuckDbStorage storage = DuckDbStorage.open(config(data))) {
                System.out.printf(Locale.ROOT, "compacted %d blocks%n", storage.runMaintenance().compactedBlocks());
            }
        }
        Path database = data.resolve("duckdb").resolve("otel.duckdb");
        List<Original> originals;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath())) {
            originals = originals(connection);
        }
        System.out.printf(Locale.ROOT, "original blocks: %d%n", originals.size());
        int copies = 1;
        for (int factor : factors) {
            if (factor > copies) {
                long start = System.nanoTime();
                try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath())) {
                    for (int copy = copies; copy < factor; copy++) {
                        replicate(connection, data.resolve("blocks"), originals, copy);
                    }
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("CHECKPOINT");
                    }
                }
                System.out.printf(Locale.ROOT, "replicated x%d in %.1f s%n", factor, (System.nanoTime() - start) / 1e9);
                copies = factor;
            }
            measure(data, factor, runs);
        }
    }

    private static List<Original> originals(Connection connection) throws SQLException {
        List<Original> originals = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT BlockId, TableName, PartitionStart, MinTime, MaxTime, "
                     + "RowCount, Path FROM otel_blocks WHERE Tier = 'local' AND TableName IN ('"
                     + String.join("', '", RAW_TABLES) + "', '" + String.join("', '", ROLLUP_TABLES)
                     + "') ORDER BY BlockId")) {
            while (rs.next()) {
                originals.add(new Original(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getString(7)));
            }
        }
        return originals;
    }

    private static void replicate(Connection connection, Path blocks, List<Original> originals, int copy)
            throws SQLException {
        long shift = (copy % 24) * HOUR;
        String prefix = String.format(Locale.ROOT, "%04x", copy);
        long nextId;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(BlockId) FROM otel_blocks")) {
            rs.next();
            nextId = rs.getLong(1);
        }
        for (Original original : originals) {
            long id = ++nextId;
            String path = original.table() + "/copy-" + copy + "/" + id + ".parquet";
            Path file = blocks.resolve(path).toAbsolutePath();
            file.getParent().toFile().mkdirs();
            String replace = switch (original.table()) {
                case "otel_traces", "otel_logs" -> "Timestamp + " + shift + " AS Timestamp, CASE WHEN length(TraceId) = 32 "
                        + "THEN '" + prefix + "' || TraceId[5:] ELSE TraceId END AS TraceId";
                case "otel_span_stats_1h", "otel_service_dependencies_1h" -> "TimeUnix + " + shift + " AS TimeUnix";
                case "otel_metrics_rollup_5m", "otel_metrics_rollup_1h" -> "TimeUnix + " + shift + " AS TimeUnix, "
                        + "LastTimeUnix + " + shift + " AS LastTimeUnix, "
                        + "map_concat(Attributes, MAP {'replica': '" + copy + "'}) AS Attributes";
                default -> "TimeUnix + " + shift + " AS TimeUnix, StartTimeUnix + " + shift + " AS StartTimeUnix, "
                        + "map_concat(Attributes, MAP {'replica': '" + copy + "'}) AS Attributes";
            };
            String copied = "SELECT * REPLACE (" + replace + ") FROM read_parquet('"
                    + blocks.resolve(original.path()).toAbsolutePath() + "')";
            if (RAW_METRIC_TABLES.contains(original.table())) {
                // A copy is another series (its attributes changed): its identity hashes as sealing computes them.
                copied = "SELECT * REPLACE (" + SERIES_HASH + " AS SeriesHash, " + CHECK_HASH + " AS CheckHash) FROM ("
                        + copied + ")";
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("COPY (" + copied + ") TO '" + file
                        + "' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE "
                        + rowGroupRows(original.table()) + ")");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO otel_blocks VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, 'local', 0)")) {
                long partitionWidth = original.table().equals("otel_traces") ? HOUR : DAY;
                long shiftedStart = original.minTime() + shift;
                insert.setLong(1, id);
                insert.setString(2, original.table());
                insert.setLong(3, Math.floorDiv(shiftedStart, partitionWidth) * partitionWidth);
                insert.setLong(4, original.minTime() + shift);
                insert.setLong(5, original.maxTime() + shift);
                insert.setLong(6, original.rows());
                insert.setLong(7, file.toFile().length());
                insert.setString(8, path);
                insert.executeUpdate();
            }
            if (original.table().equals("otel_traces")) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO otel_trace_index SELECT TraceId, " + id
                            + ", min(Timestamp), max(Timestamp + Duration) FROM read_parquet('" + file
                            + "') GROUP BY TraceId");
                }
            }
        }
    }

    /** Rows per row group of a table's blocks, as sealing writes them (StoredTable). */
    private static int rowGroupRows(String table) {
        return switch (table) {
            case "otel_logs" -> 16_384;
            default -> 122_880;
        };
    }

    /** The store with a clock in 2100 and retention long enough to keep everything; no background maintenance. */
    private static DuckDbConfig config(Path data) {
        Clock frozen = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);
        Duration forever = Duration.ofDays(365L * 200);
        return DuckDbConfig.of(data).withBlocks(BlockPolicy.DEFAULT.withClock(frozen)
                .withMaintenanceInterval(Duration.ZERO).withRetention(forever, forever, forever)
                .withRollupRetention(forever, forever));
    }

    private static void measure(Path data, int factor, int runs) throws Exception {
        try (DuckDbStorage storage = DuckDbStorage.open(config(data))) {
            var totals = storage.blockTotals();
            long spans = totals.get("otel_traces").rows();
            System.out.printf(Locale.ROOT, "%n== x%d: %,d spans, %,d log records, %,d metric points%n", factor, spans,
                    totals.get("otel_logs").rows(), metricRows(totals));
            for (String table : RAW_TABLES) {
                var t = totals.get(table);
                if (t != null) {
                    System.out.printf(Locale.ROOT, "   %-24s %,14d rows %,15d bytes %6.1f B/row%n", table, t.rows(),
                            t.bytes(), t.bytes() / (double) t.rows());
                }
            }
            long start = dayStart(storage);
            TimeRange day = new TimeRange(start, start + DAY);
            String service = storage.traces().serviceNames(day).get(60, TimeUnit.SECONDS).get(0);
            List<String> traceIds = new ArrayList<>();
            for (var summary : storage.traces().findTraces(new TraceQuery(day, null, null, null, null, null,
                    List.of(), 200)).get(60, TimeUnit.SECONDS)) {
                traceIds.add(summary.traceId());
            }
            String metric = storage.series().metricNames(null, day).get(60, TimeUnit.SECONDS).get(0).metricName();
            Random random = new Random(1);
            time("trace search (service, duration >= 100 ms, 24 h, 20)", runs, () -> storage.traces().findTraces(
                    new TraceQuery(day, null, service, null, 100_000_000L, null, List.of(), 20)).get());
            time("trace by id", runs, () -> storage.traces().getTrace(traceIds.get(random.nextInt(traceIds.size())),
                    day).get());
            time("service stats (24 h)", runs, () -> storage.traces().serviceStats(day).get());
            System.out.printf(Locale.ROOT, "   metric '%s' over the day: %d series%n", metric, storage.series().select(
                    new SeriesQuery(metric, null, List.of(), day, 100_000, new SeriesHints(300_000_000_000L, "avg")))
                    .get(60, TimeUnit.SECONDS).size());
            time("metric series '" + metric + "' (24 h, step 5 m, avg)", runs, () -> storage.series().select(
                    new SeriesQuery(metric, null, List.of(), day, 100_000, new SeriesHints(300_000_000_000L, "avg")))
                    .get());
            time("log search 'timeout' (24 h, 100)", runs, () -> storage.logs().findLogs(
                    new LogQuery(day, null, 0, "timeout", null, List.of(), 100, null)).get());
        }
    }

    private static long metricRows(java.util.Map<String, DuckDbStorage.BlockTotals> totals) {
        long rows = 0;
        for (var entry : totals.entrySet()) {
            if (entry.getKey().startsWith("otel_metrics_") && !entry.getKey().contains("rollup")) {
                rows += entry.getValue().rows();
            }
        }
        return rows;
    }

    /**
     * Where the day of data begins: copies lie up to 23 hours after the originals, so 24 hours before the latest
     * trace, plus an hour.
     */
    private static long dayStart(DuckDbStorage storage) throws Exception {
        var latest = storage.traces().findTraces(new TraceQuery(TimeRange.ALL, null, null, null, null, null,
                List.of(), 1)).get(60, TimeUnit.SECONDS);
        if (latest.isEmpty()) {
            throw new IllegalStateException("no spans in the data directory");
        }
        return latest.get(0).startNanos() - DAY + HOUR;
    }

    private static void time(String name, int runs, Callable<?> query) throws Exception {
        for (int i = 0; i < 2; i++) {
            query.call();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            query.call();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "   %-58s p50 %8.1f ms  p95 %8.1f ms%n", name, millis[runs / 2],
                millis[(int) Math.ceil(runs * 0.95) - 1]);
    }
}
