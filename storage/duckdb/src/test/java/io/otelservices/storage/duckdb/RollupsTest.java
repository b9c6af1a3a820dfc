package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.gauge;
import static io.otelservices.storage.contract.StorageFixtures.histogram;
import static io.otelservices.storage.contract.StorageFixtures.point;
import static io.otelservices.storage.contract.StorageFixtures.points;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.spans;
import static io.otelservices.storage.contract.StorageFixtures.sum;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Span;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.memory.InMemoryStorage;
import io.otelservices.storage.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rollup equals the aggregate computed from the raw rows it summarises, both ways on the same data: the raw
 * side in SQL over the sealed raw blocks, the rollup side from the rollup blocks, merged where late rows gave a
 * window two rows.
 */
class RollupsTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dataDirectory;

    private long walSequence;

    private DuckDbStorage open() {
        Clock later = Clock.fixed(Instant.ofEpochSecond(0, BASE_NANOS + 3 * HOUR), ZoneOffset.UTC);
        return DuckDbStorage.open(DuckDbConfig.of(dataDirectory).withBlocks(BlockPolicy.DEFAULT.withClock(later)
                .withMaintenanceInterval(Duration.ZERO)));
    }

    @Test
    void spanStatistics_andDependencies_equalTheRawAggregates() throws Exception {
        try (DuckDbStorage storage = open()) {
            Random random = new Random(7);
            List<Span> written = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                long start = BASE_NANOS + random.nextInt(7_000) * SECOND; // two hours
                String root = spanId(t * 10);
                written.add(span(traceId(t), root).service("frontend").name("GET /cart").start(start)
                        .duration(1_000_000L + random.nextInt(500_000_000)).build());
                for (int c = 1; c <= 3; c++) {
                    var child = span(traceId(t), spanId(t * 10 + c)).parent(root)
                            .service(c == 3 ? "frontend" : "cart").name("op-" + c).start(start + c)
                            .duration(10_000L + random.nextInt(50_000_000));
                    written.add((random.nextInt(10) == 0 ? child.error("boom") : child).build());
                }
            }
            write(storage, spans(++walSequence, written.subList(0, 500)));
            storage.runMaintenance();
            // Late rows of the same hours: a second block, and a second rollup row per window, to merge.
            write(storage, spans(++walSequence, written.subList(500, written.size())));
            storage.runMaintenance();

            String raw = "(SELECT * FROM read_parquet(" + files(storage, "otel_traces") + "))";
            String allStats = "(SELECT * FROM read_parquet(" + files(storage, "otel_span_stats_1h") + "))";
            String stats = "(SELECT * FROM " + allStats + " WHERE SpanName IS NOT NULL)";
            String serviceStats = "(SELECT * FROM " + allStats + " WHERE SpanName IS NULL)";
            List<Map<String, Object>> expected = rows(storage, """
                    SELECT (Timestamp // %2$d) * %2$d AS Hour, ServiceName, SpanName, count(*) AS Spans,
                        count(*) FILTER (WHERE StatusCode = 'Error') AS Errors, sum(Duration)::HUGEINT AS DurationSum,
                        min(Duration) AS MinD, max(Duration) AS MaxD
                    FROM %1$s GROUP BY ALL ORDER BY ALL""".formatted(raw, HOUR));
            List<Map<String, Object>> rolled = rows(storage, """
                    SELECT TimeUnix AS Hour, ServiceName, SpanName, sum(SpanCount)::BIGINT AS Spans, sum(ErrorCount)::BIGINT AS Errors,
                        sum(DurationSum)::HUGEINT AS DurationSum, min(MinDuration) AS MinD, max(MaxDuration) AS MaxD
                    FROM %s GROUP BY ALL ORDER BY ALL""".formatted(stats));
            assertThat(rolled).isNotEmpty();
            assertThat(rolled.toString()).isEqualTo(expected.toString());
            assertThat(count(storage, "SELECT count(*) FROM " + stats)).isGreaterThan(expected.size());
            // The per-service rows (no span name) hold the same totals per hour and service.
            assertThat(rows(storage, """
                    SELECT TimeUnix AS Hour, ServiceName, sum(SpanCount)::BIGINT AS Spans, sum(ErrorCount)::BIGINT AS Errors,
                        sum(DurationSum)::HUGEINT AS DurationSum, min(MinDuration) AS MinD, max(MaxDuration) AS MaxD
                    FROM %s GROUP BY ALL ORDER BY ALL""".formatted(serviceStats)).toString())
                    .isEqualTo(rows(storage, """
                    SELECT (Timestamp // %2$d) * %2$d AS Hour, ServiceName, count(*) AS Spans,
                        count(*) FILTER (WHERE StatusCode = 'Error') AS Errors, sum(Duration)::HUGEINT AS DurationSum,
                        min(Duration) AS MinD, max(Duration) AS MaxD
                    FROM %1$s GROUP BY ALL ORDER BY ALL""".formatted(raw, HOUR)).toString());

            // Quantiles from the merged sketch lie within 1 % of the exact nearest-rank quantiles.
            for (double q : new double[] {0.5, 0.95, 0.99}) {
                Map<String, Double> exact = doubles(storage, "SELECT ServiceName || ' ' || SpanName, "
                        + "quantile_disc(Duration, " + q + ") FROM " + raw + " GROUP BY ALL");
                Map<String, Double> fromSketch = doubles(storage, """
                        WITH b AS (SELECT ServiceName || ' ' || SpanName AS K, s.Bucket AS Bucket, sum(s.Count) AS N
                                   FROM (SELECT ServiceName, SpanName, unnest(DurationSketch) AS s FROM %s) GROUP BY ALL),
                             c AS (SELECT K, Bucket, sum(N) OVER (PARTITION BY K ORDER BY Bucket) AS Cum,
                                          sum(N) OVER (PARTITION BY K) AS Total FROM b)
                        SELECT K, 2 * pow(%s, min(Bucket)) / (%s + 1) FROM c WHERE Cum >= ceil(%s * Total) GROUP BY K"""
                        .formatted(stats, Rollups.SKETCH_GAMMA, Rollups.SKETCH_GAMMA, q));
                assertThat(fromSketch.keySet()).isEqualTo(exact.keySet());
                exact.forEach((key, value) -> assertThat(fromSketch.get(key)).as(key + " p" + q)
                        .isCloseTo(value, within(value * 0.0101)));
            }

            // Dependencies: frontend -> cart calls (children 1 and 2 of each trace); frontend -> frontend is not one.
            List<Map<String, Object>> expectedDeps = rows(storage, """
                    SELECT (c.Timestamp // %2$d) * %2$d AS Hour, p.ServiceName AS Parent, c.ServiceName AS Child,
                        count(*) AS Calls, count(*) FILTER (WHERE c.StatusCode = 'Error') AS Errors
                    FROM %1$s c JOIN %1$s p ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId
                    WHERE c.ServiceName <> p.ServiceName GROUP BY ALL ORDER BY ALL""".formatted(raw, HOUR));
            List<Map<String, Object>> rolledDeps = rows(storage, """
                    SELECT TimeUnix AS Hour, Parent, Child, sum(CallCount)::BIGINT AS Calls, sum(ErrorCount)::BIGINT AS Errors
                    FROM read_parquet(%s) GROUP BY ALL ORDER BY ALL"""
                    .formatted(files(storage, "otel_service_dependencies_1h")));
            // Pairs split across the two writes are only seen within one sealed block: the rollup counts the pairs
            // whose parent and child were sealed together, which is all of them when both came in one batch.
            assertThat(rolledDeps).isNotEmpty();
            long expectedCalls = expectedDeps.stream().mapToLong(r -> ((Number) r.get("Calls")).longValue()).sum();
            long rolledCalls = rolledDeps.stream().mapToLong(r -> ((Number) r.get("Calls")).longValue()).sum();
            assertThat(rolledCalls).isLessThanOrEqualTo(expectedCalls).isGreaterThan(expectedCalls * 9 / 10);
            assertThat(rolledDeps).allSatisfy(r -> assertThat(r.get("Parent") + "->" + r.get("Child"))
                    .isEqualTo("frontend->cart"));
        }
    }

    @Test
    void serviceStats_overMoreThanThirtyDays_comeFromHourlyRollups_andMatchTheRawStatistics() throws Exception {
        try (DuckDbStorage storage = open()) {
            Random random = new Random(3);
            List<Span> written = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                written.add(span(traceId(i), spanId(i)).service(i % 3 == 0 ? "db" : "api").name("op-" + (i % 5))
                        .start(BASE_NANOS + random.nextInt(7_000) * SECOND)
                        .duration(1_000L + (long) Math.exp(random.nextDouble() * 20)).build());
            }
            write(storage, spans(++walSequence, written));
            storage.runMaintenance();

            var raw = storage.traces().serviceStats(new TimeRange(BASE_NANOS, BASE_NANOS + 2 * HOUR))
                    .get(30, TimeUnit.SECONDS);
            var fromRollups = storage.traces().serviceStats(
                    new TimeRange(BASE_NANOS - TimeUnit.DAYS.toNanos(59), BASE_NANOS + TimeUnit.DAYS.toNanos(1)))
                    .get(30, TimeUnit.SECONDS);

            assertThat(fromRollups).hasSameSizeAs(raw);
            for (int i = 0; i < raw.size(); i++) {
                var exact = raw.get(i);
                var rolled = fromRollups.get(i);
                assertThat(rolled.serviceName()).isEqualTo(exact.serviceName());
                assertThat(rolled.spanCount()).isEqualTo(exact.spanCount());
                assertThat(rolled.errorCount()).isEqualTo(exact.errorCount());
                assertThat(rolled.operations()).isEqualTo(exact.operations());
                assertThat((double) rolled.p50DurationNanos()).isCloseTo((double) exact.p50DurationNanos(), within(exact.p50DurationNanos() * 0.0101));
                assertThat((double) rolled.p95DurationNanos()).isCloseTo((double) exact.p95DurationNanos(), within(exact.p95DurationNanos() * 0.0101));
                assertThat((double) rolled.p99DurationNanos()).isCloseTo((double) exact.p99DurationNanos(), within(exact.p99DurationNanos() * 0.0101));
            }

            // Blocks sealed before the per-service rows existed answer the same from their per-operation rows.
            for (Map<String, Object> row : rows(storage,
                    "SELECT Path FROM otel_blocks WHERE TableName = 'otel_span_stats_1h'")) {
                Path file = dataDirectory.resolve("blocks").resolve((String) row.get("Path")).toAbsolutePath();
                Path old = file.resolveSibling("old-" + file.getFileName());
                String copy = "COPY (SELECT * FROM read_parquet(" + TableSources.quote(file.toString())
                        + ") WHERE SpanName IS NOT NULL) TO " + TableSources.quote(old.toString()) + " (FORMAT parquet)";
                storage.query(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.execute(copy);
                    }
                }).get(30, TimeUnit.SECONDS);
                Files.move(old, file, StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(count(storage, "SELECT count(*) FROM read_parquet(" + files(storage, "otel_span_stats_1h")
                    + ") WHERE SpanName IS NULL")).isZero();
            storage.close(); // a fresh store: parsed statistics are cached per (immutable) block
            try (DuckDbStorage reopened = open()) {
                assertThat(reopened.traces().serviceStats(
                        new TimeRange(BASE_NANOS - TimeUnit.DAYS.toNanos(59), BASE_NANOS + TimeUnit.DAYS.toNanos(1)))
                        .get(30, TimeUnit.SECONDS)).isEqualTo(fromRollups);
            }
        }
    }

    @Test
    void serviceStats_overManySealedSpans_takeWholeHoursFromSketches_andTheRestRaw() throws Exception {
        Clock later = Clock.fixed(Instant.ofEpochSecond(0, BASE_NANOS + 4 * HOUR), ZoneOffset.UTC);
        InMemoryStorage oracle = new InMemoryStorage();
        try (DuckDbStorage storage = DuckDbStorage.open(DuckDbConfig.of(dataDirectory).withExactQuantileSpans(1_000)
                .withBlocks(BlockPolicy.DEFAULT.withClock(later).withMaintenanceInterval(Duration.ZERO)))) {
            Random random = new Random(5);
            List<Span> sealed = new ArrayList<>();
            List<Span> late = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                // Three and a half hours; a tenth of the spans arrive after their hour was sealed and stay hot.
                (i % 10 == 0 ? late : sealed).add(span(traceId(i), spanId(i)).service(i % 3 == 0 ? "db" : "api")
                        .name("op-" + (i % 5)).status(i % 7 == 0 ? Span.StatusCode.ERROR : Span.StatusCode.OK)
                        .start(BASE_NANOS + random.nextInt(12_600) * SECOND)
                        .duration(1_000L + (long) Math.exp(random.nextDouble() * 20)).build());
            }
            for (List<Span> batch : List.of(sealed, late)) {
                WriteBatch written = spans(++walSequence, batch);
                write(storage, written);
                oracle.writer().write(written).get(30, TimeUnit.SECONDS);
                if (batch == sealed) {
                    assertThat(storage.runMaintenance().sealedBlocks()).isEqualTo(3); // the fourth hour is open
                }
            }

            // Whole hours 1 and 2 from sketches; the partial first hour, the open fourth hour and the hot rows raw.
            TimeRange range = new TimeRange(BASE_NANOS + 20 * 60 * SECOND, BASE_NANOS + 3 * HOUR + 30 * 60 * SECOND);
            var hybrid = storage.traces().serviceStats(range).get(30, TimeUnit.SECONDS);
            var exact = oracle.traces().serviceStats(range).get(30, TimeUnit.SECONDS);

            assertThat(hybrid).hasSameSizeAs(exact);
            boolean anyApproximate = false;
            for (int i = 0; i < exact.size(); i++) {
                var e = exact.get(i);
                var h = hybrid.get(i);
                assertThat(h.serviceName()).isEqualTo(e.serviceName());
                assertThat(h.spanCount()).isEqualTo(e.spanCount());
                assertThat(h.errorCount()).isEqualTo(e.errorCount()).isPositive();
                assertThat(h.operations()).isEqualTo(e.operations());
                assertThat((double) h.p50DurationNanos()).isCloseTo(e.p50DurationNanos(), within(e.p50DurationNanos() * 0.0101));
                assertThat((double) h.p95DurationNanos()).isCloseTo(e.p95DurationNanos(), within(e.p95DurationNanos() * 0.0101));
                assertThat((double) h.p99DurationNanos()).isCloseTo(e.p99DurationNanos(), within(e.p99DurationNanos() * 0.0101));
                anyApproximate |= h.p50DurationNanos() != e.p50DurationNanos();
            }
            assertThat(anyApproximate).as("percentiles from sketches, not exact").isTrue();
        }
    }

    @Test
    void metricRollups_fiveMinutesAndOneHour_equalTheRawAggregates() throws Exception {
        try (DuckDbStorage storage = open()) {
            Random random = new Random(11);
            List<MetricPoint> written = new ArrayList<>();
            double counter = 0;
            for (int i = 0; i < 720; i++) { // every 10 s for two hours
                long time = BASE_NANOS + i * 10 * SECOND;
                for (String host : List.of("a", "b")) {
                    written.add(point("cpu.usage", time, gauge(random.nextDouble() * 100)).service("svc")
                            .attribute("host", host).build());
                }
                counter += random.nextInt(100);
                written.add(point("requests", time, sum(counter)).service("svc").build());
                written.add(point("latency", time, histogram()).service("svc").build());
            }
            write(storage, points(++walSequence, written.subList(0, 1500)));
            storage.runMaintenance();
            write(storage, points(++walSequence, written.subList(1500, written.size())));
            storage.runMaintenance();

            for (long window : new long[] {Rollups.FIVE_MINUTES, HOUR}) {
                String rollupTable = window == HOUR ? "otel_metrics_rollup_1h" : "otel_metrics_rollup_5m";
                String rollups = "(SELECT * FROM read_parquet(" + files(storage, rollupTable) + "))";
                for (String rawTable : List.of("otel_metrics_gauge", "otel_metrics_sum")) {
                    String raw = "(SELECT * FROM read_parquet(" + files(storage, rawTable) + "))";
                    List<Map<String, Object>> expected = rows(storage, """
                            SELECT MetricName, Attributes::VARCHAR AS Attrs, (TimeUnix // %2$d) * %2$d AS W, count(*) AS N,
                                min(Value) AS Mn, max(Value) AS Mx, round(sum(Value), 6) AS S,
                                arg_max(Value, TimeUnix) AS L, max(TimeUnix) AS LT
                            FROM %1$s GROUP BY ALL ORDER BY ALL""".formatted(raw, window));
                    List<Map<String, Object>> rolled = rows(storage, """
                            SELECT MetricName, Attributes::VARCHAR AS Attrs, TimeUnix AS W, sum(PointCount)::BIGINT AS N,
                                min(Min) AS Mn, max(Max) AS Mx, round(sum(Sum), 6) AS S,
                                arg_max(Last, LastTimeUnix) AS L, max(LastTimeUnix) AS LT
                            FROM %s WHERE MetricName IN (SELECT DISTINCT MetricName FROM %s)
                            GROUP BY ALL ORDER BY ALL""".formatted(rollups, raw));
                    assertThat(rolled).as(rawTable + " per " + window).isNotEmpty().isEqualTo(expected);
                }
                // Delta histograms: observation counts, sums and bucket counts add up over the window.
                String rawHistograms = "(SELECT * FROM read_parquet(" + files(storage, "otel_metrics_histogram") + "))";
                List<Map<String, Object>> expected = rows(storage, """
                        SELECT (TimeUnix // %2$d) * %2$d AS W, count(*) AS N, sum(Count) AS C, sum(Sum) AS S,
                            [sum(BucketCounts[1]), sum(BucketCounts[2]), sum(BucketCounts[3]), sum(BucketCounts[4]),
                             sum(BucketCounts[5])]::VARCHAR AS B
                        FROM %1$s GROUP BY ALL ORDER BY ALL""".formatted(rawHistograms, window));
                List<Map<String, Object>> rolled = rows(storage, """
                        WITH u AS (SELECT TimeUnix AS W, PointCount, ObservationCount, Sum,
                                          generate_subscripts(BucketCounts, 1) AS I, unnest(BucketCounts) AS B
                                   FROM %s WHERE MetricType = 'HISTOGRAM')
                        SELECT W, (SELECT sum(PointCount) FROM %1$s r WHERE r.TimeUnix = u.W AND MetricType = 'HISTOGRAM') AS N,
                            (SELECT sum(ObservationCount) FROM %1$s r WHERE r.TimeUnix = u.W AND MetricType = 'HISTOGRAM') AS C,
                            (SELECT sum(Sum) FROM %1$s r WHERE r.TimeUnix = u.W AND MetricType = 'HISTOGRAM') AS S,
                            list(B ORDER BY I)::VARCHAR AS B
                        FROM (SELECT W, I, sum(B) AS B FROM u GROUP BY W, I) u GROUP BY W ORDER BY W"""
                        .formatted(rollups));
                assertThat(rolled).as("histograms per " + window).isNotEmpty().isEqualTo(expected);
            }
        }
    }

    @Test
    void seriesOverMoreThanNinetyDays_atAnHourlyStep_comeFromHourlyRollups_withTheRawPerHourAnswers() throws Exception {
        try (DuckDbStorage storage = open()) {
            Random random = new Random(5);
            List<MetricPoint> written = new ArrayList<>();
            double counter = 0;
            for (int i = 0; i < 720; i++) {
                long time = BASE_NANOS + i * 10 * SECOND;
                written.add(point("cpu.usage", time, gauge(random.nextDouble() * 100)).service("svc").build());
                counter += random.nextInt(100);
                written.add(point("requests", time, sum(counter)).service("svc").build());
                written.add(point("latency", time, histogram()).service("svc").build());
            }
            write(storage, points(++walSequence, written));
            storage.runMaintenance();
            TimeRange recent = new TimeRange(BASE_NANOS, BASE_NANOS + 2 * HOUR);
            TimeRange year = new TimeRange(BASE_NANOS - TimeUnit.DAYS.toNanos(364), BASE_NANOS + TimeUnit.DAYS.toNanos(1));

            for (String function : List.of("max", "min", "sum", "avg", "rate")) {
                for (String metric : List.of("cpu.usage", "requests")) {
                    List<SeriesPoint> raw = select(storage, metric, recent, SeriesHints.NONE).get(0).points();
                    List<SeriesPoint> rolled = select(storage, metric, year, new SeriesHints(HOUR, function)).get(0)
                            .points();
                    assertThat(rolled).as(function + " " + metric).hasSize(2);
                    for (int hour = 0; hour < 2; hour++) {
                        long start = BASE_NANOS + hour * HOUR;
                        List<Double> values = raw.stream().filter(p -> p.timeNanos() >= start && p.timeNanos() < start + HOUR)
                                .map(p -> value(p.value())).toList();
                        double expected = switch (function) {
                            case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                            case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                            case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
                            case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                            default -> values.get(values.size() - 1); // rate of a cumulative counter: last value
                        };
                        assertThat(value(rolled.get(hour).value())).as(function + " " + metric + " hour " + hour)
                                .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
                        assertThat(rolled.get(hour).timeNanos()).isBetween(start, start + HOUR - 1);
                    }
                }
            }
            // Delta histograms for quantiles: the hour's buckets are the sums of its points' buckets.
            List<SeriesPoint> histograms = select(storage, "latency", year, new SeriesHints(HOUR, "p95")).get(0).points();
            assertThat(histograms).hasSize(2);
            MetricValue.Histogram hour0 = (MetricValue.Histogram) histograms.get(0).value();
            assertThat(hour0.count()).isEqualTo(360L * 42);
            assertThat(hour0.bucketCounts()).containsExactly(360L, 360L * 5, 360L * 20, 360L * 10, 360L * 6);
            // Rows not sealed yet (the third hour is still open at the clock) are rolled up on the fly.
            write(storage, points(++walSequence, List.of(
                    point("cpu.usage", BASE_NANOS + 2 * HOUR + SECOND, gauge(1000)).service("svc").build(),
                    point("cpu.usage", BASE_NANOS + 2 * HOUR + 2 * SECOND, gauge(2000)).service("svc").build())));
            storage.runMaintenance();
            List<SeriesPoint> withHot = select(storage, "cpu.usage", year, new SeriesHints(HOUR, "max")).get(0)
                    .points();
            assertThat(withHot).hasSize(3);
            assertThat(value(withHot.get(2).value())).isEqualTo(2000);
            assertThat(withHot.get(2).timeNanos()).isEqualTo(BASE_NANOS + 2 * HOUR + 2 * SECOND);
            // count needs raw points: a year at an hourly step with count reads raw rows.
            assertThat(select(storage, "cpu.usage", year, new SeriesHints(HOUR, "count")).get(0).points())
                    .hasSize(722);
        }
    }

    @Test
    void retention_perTier_rawAfter30Days_fiveMinuteRollupsAfter90_hourlyAfter365() throws Exception {
        SteppingClock clock = new SteppingClock(BASE_NANOS + 3 * HOUR);
        try (DuckDbStorage storage = DuckDbStorage.open(clock.config(dataDirectory))) {
            write(storage, points(++walSequence, List.of(point("cpu.usage", BASE_NANOS + SECOND, gauge(1)).build())));
            write(storage, spans(++walSequence, span(traceId(1), spanId(1)).start(BASE_NANOS + SECOND).build()));
            storage.runMaintenance();
            assertThat(tables(storage)).containsExactlyInAnyOrder("otel_metrics_gauge", "otel_metrics_rollup_5m",
                    "otel_metrics_rollup_1h", "otel_traces", "otel_span_stats_1h");

            long day = TimeUnit.DAYS.toNanos(1);
            // Partitions: the traces hour ends at BASE + 1 h, the days (metrics, rollups) at BASE + 1 d.
            clock.set(BASE_NANOS + day + 30 * day - 1);
            storage.runMaintenance();
            assertThat(tables(storage)).doesNotContain("otel_traces").contains("otel_metrics_gauge");
            clock.set(BASE_NANOS + day + 30 * day);
            storage.runMaintenance();
            assertThat(tables(storage)).containsExactlyInAnyOrder("otel_metrics_rollup_5m", "otel_metrics_rollup_1h",
                    "otel_span_stats_1h");
            clock.set(BASE_NANOS + day + 90 * day);
            storage.runMaintenance();
            assertThat(tables(storage)).containsExactlyInAnyOrder("otel_metrics_rollup_1h", "otel_span_stats_1h");
            clock.set(BASE_NANOS + day + 365 * day - 1);
            storage.runMaintenance();
            assertThat(tables(storage)).containsExactlyInAnyOrder("otel_metrics_rollup_1h", "otel_span_stats_1h");
            clock.set(BASE_NANOS + day + 365 * day);
            storage.runMaintenance();
            assertThat(tables(storage)).isEmpty();
        }
    }

    /** The tables that have blocks. */
    private static List<Object> tables(DuckDbStorage storage) throws Exception {
        return rows(storage, "SELECT DISTINCT TableName FROM otel_blocks").stream().map(r -> r.get("TableName"))
                .toList();
    }

    private static List<MetricSeries> select(DuckDbStorage storage, String metric, TimeRange range, SeriesHints hints)
            throws Exception {
        return storage.series().select(new SeriesQuery(metric, null, List.of(), range, 100, hints))
                .get(30, TimeUnit.SECONDS);
    }

    private static double value(MetricValue value) {
        return value instanceof MetricValue.Gauge gauge ? gauge.value() : ((MetricValue.Sum) value).value();
    }

    private static void write(DuckDbStorage storage, WriteBatch batch) throws Exception {
        storage.writer().write(batch).get(30, TimeUnit.SECONDS);
    }

    /** The block files of {@code table}, as a SQL list literal. */
    private String files(DuckDbStorage storage, String table) throws Exception {
        List<Map<String, Object>> paths = rows(storage,
                "SELECT Path FROM otel_blocks WHERE TableName = '" + table + "' ORDER BY BlockId");
        assertThat(paths).as("blocks of " + table).isNotEmpty();
        List<String> quoted = new ArrayList<>();
        for (Map<String, Object> row : paths) {
            quoted.add(TableSources.quote(dataDirectory.resolve("blocks").resolve((String) row.get("Path"))
                    .toAbsolutePath().toString()));
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    private static long count(DuckDbStorage storage, String sql) throws Exception {
        return ((Number) rows(storage, sql).get(0).values().iterator().next()).longValue();
    }

    private static Map<String, Double> doubles(DuckDbStorage storage, String sql) throws Exception {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map<String, Object> row : rows(storage, sql)) {
            List<Object> columns = new ArrayList<>(row.values());
            values.put((String) columns.get(0), ((Number) columns.get(1)).doubleValue());
        }
        return values;
    }

    /** Rows as column-name maps, numbers as they come (BigInteger for HUGEINT, Long, Double). */
    private static List<Map<String, Object>> rows(DuckDbStorage storage, String sql) throws Exception {
        return storage.query(connection -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        Object value = rs.getObject(c);
                        row.put(meta.getColumnLabel(c), value instanceof Number n && !(value instanceof Double)
                                ? (Object) new java.math.BigDecimal(n.toString()) : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }).get(60, TimeUnit.SECONDS);
    }
}
