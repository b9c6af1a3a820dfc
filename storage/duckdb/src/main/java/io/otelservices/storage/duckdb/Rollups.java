package io.otelservices.storage.duckdb;

import io.otelservices.model.MetricType;
import io.otelservices.model.Span;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rollups computed when an hour of raw rows is sealed, each written as a block of its own table (so that
 * they have their own retention and are dropped by whole partitions like raw data):
 * <ul>
 *   <li>{@code otel_metrics_rollup_5m} and {@code otel_metrics_rollup_1h}: per series and window, the number of
 *       points, min, max, sum and last value (with its time); for histograms {@code Sum}, {@code ObservationCount}
 *       and the bucket counts, merged bucket-wise (delta temporality: summed over the window; cumulative: the
 *       window's last snapshot), {@code Min}/{@code Max} over the points' own min and max, {@code Last} empty;
 *   <li>{@code otel_span_stats_1h}: per hour, service, operation and kind, the span and error counts, duration
 *       sum, min, max, and a mergeable duration sketch ({@link #SKETCH_GAMMA}-log buckets); plus the same per hour
 *       and service over all its operations, with a {@code NULL} span name and kind (blocks sealed before these
 *       rows existed lack them);
 *   <li>{@code otel_service_dependencies_1h}: per hour, caller service and callee service, calls and errors,
 *       from parent/child span pairs of the sealed hour.
 * </ul>
 * A window whose hour is sealed twice (late rows) has two rows, one per block; readers merge them: counts and sums
 * add up, min and max combine, the last value is the one with the greatest time, sketches add bucket by bucket.
 */
final class Rollups {

    /**
     * Duration sketch accuracy: a duration lands in bucket {@code ceil(log_gamma(d))}, whose values lie within
     * ±1 % of {@code 2 gamma^b / (gamma + 1)} (the DDSketch bucket scheme).
     */
    static final double SKETCH_GAMMA = 1.02;

    static final String METRICS_5M = "otel_metrics_rollup_5m";
    static final String METRICS_1H = "otel_metrics_rollup_1h";
    static final String SPAN_STATS_1H = "otel_span_stats_1h";
    static final String DEPENDENCIES_1H = "otel_service_dependencies_1h";

    static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);
    static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private static final String METRIC_ROLLUP_COLUMNS = """
                MetricType VARCHAR,
                MetricName VARCHAR,
                MetricUnit VARCHAR,
                ServiceName VARCHAR,
                ResourceAttributes MAP(VARCHAR, VARCHAR),
                ScopeName VARCHAR,
                ScopeVersion VARCHAR,
                Attributes MAP(VARCHAR, VARCHAR),
                AggregationTemporality INTEGER,
                TimeUnix BIGINT,
                PointCount BIGINT,
                Min DOUBLE,
                Max DOUBLE,
                Sum DOUBLE,
                Last DOUBLE,
                LastTimeUnix BIGINT,
                ObservationCount BIGINT,
                BucketCounts BIGINT[],
                ExplicitBounds DOUBLE[]
            """;

    /** Empty tables with each rollup's columns: the "hot" side of their relations, never written. */
    static final List<String> CREATE_TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS " + METRICS_5M + " (\n" + METRIC_ROLLUP_COLUMNS + ")",
            "CREATE TABLE IF NOT EXISTS " + METRICS_1H + " (\n" + METRIC_ROLLUP_COLUMNS + ")",
            """
            CREATE TABLE IF NOT EXISTS otel_span_stats_1h (
                TimeUnix BIGINT,
                ServiceName VARCHAR,
                SpanName VARCHAR,
                SpanKind VARCHAR,
                SpanCount BIGINT,
                ErrorCount BIGINT,
                DurationSum BIGINT,
                MinDuration BIGINT,
                MaxDuration BIGINT,
                DurationSketch STRUCT(Bucket INTEGER, Count BIGINT)[]
            )""",
            """
            CREATE TABLE IF NOT EXISTS otel_service_dependencies_1h (
                TimeUnix BIGINT,
                Parent VARCHAR,
                Child VARCHAR,
                CallCount BIGINT,
                ErrorCount BIGINT
            )""");

    private Rollups() {}

    /** The sketch bucket of a duration column, as SQL. */
    static String sketchBucket(String durationColumn) {
        return "CAST(ceil(ln(greatest(" + durationColumn + ", 1)) / ln(" + SKETCH_GAMMA + ")) AS INTEGER)";
    }

    /** The value a sketch bucket stands for. */
    static double sketchValue(int bucket) {
        return 2 * Math.pow(SKETCH_GAMMA, bucket) / (SKETCH_GAMMA + 1);
    }

    /**
     * The rollups of one sealed hour of {@code table}: (rollup table, SELECT producing its rows from
     * {@code source}, a relation holding exactly the hour's rows).
     */
    static List<Rollup> of(StoredTable table, String source) {
        return switch (table) {
            case TRACES -> List.of(new Rollup(StoredTable.SPAN_STATS_1H, spanStats(source)),
                    new Rollup(StoredTable.DEPENDENCIES_1H, dependencies(source, source)));
            case METRICS_GAUGE, METRICS_SUM, METRICS_HISTOGRAM, METRICS_EXPONENTIAL_HISTOGRAM, METRICS_SUMMARY -> List.of(
                    new Rollup(StoredTable.METRICS_ROLLUP_5M, metrics(table.metricType(), source, FIVE_MINUTES)),
                    new Rollup(StoredTable.METRICS_ROLLUP_1H, metrics(table.metricType(), source, HOUR)));
            default -> List.of();
        };
    }

    /** One rollup table's rows for a sealed hour. */
    record Rollup(StoredTable table, String select) {}

    /**
     * Per hour, one row per service, span name and kind, plus one row per service with a {@code NULL} span name and
     * kind that covers all of the service's spans: service statistics merge one sketch per service and hour instead
     * of one per operation.
     */
    private static String spanStats(String source) {
        return """
                WITH b AS (
                    SELECT (Timestamp // %2$d) * %2$d AS TimeUnix, ServiceName, SpanName, SpanKind, %3$s AS Bucket,
                        count(*) AS N, count(*) FILTER (WHERE StatusCode = '%4$s') AS E,
                        sum(Duration)::BIGINT AS S, min(Duration) AS MinD, max(Duration) AS MaxD
                    FROM %1$s
                    GROUP BY ALL
                ),
                services AS (
                    SELECT TimeUnix, ServiceName, NULL::VARCHAR AS SpanName, NULL::VARCHAR AS SpanKind, Bucket,
                        sum(N) AS N, sum(E) AS E, sum(S) AS S, min(MinD) AS MinD, max(MaxD) AS MaxD
                    FROM b GROUP BY TimeUnix, ServiceName, Bucket
                )
                SELECT TimeUnix, ServiceName, SpanName, SpanKind, sum(N)::BIGINT AS SpanCount,
                    sum(E)::BIGINT AS ErrorCount, sum(S)::BIGINT AS DurationSum, min(MinD) AS MinDuration,
                    max(MaxD) AS MaxDuration,
                    list({'Bucket': Bucket, 'Count': N} ORDER BY Bucket) AS DurationSketch
                FROM (SELECT * FROM b UNION ALL SELECT * FROM services)
                GROUP BY TimeUnix, ServiceName, SpanName, SpanKind
                ORDER BY %5$s"""
                .formatted(source, HOUR, sketchBucket("Duration"), Span.StatusCode.ERROR,
                        StoredTable.SPAN_STATS_1H.sortColumns());
    }

    /**
     * The hourly dependency rows of the calls whose child span is in {@code children} and whose parent span is in
     * {@code parents} (relations of raw spans; the same one when sealing): parent and child of one trace, joined by
     * the child's parent span id, of different services, started in the same hour (true anyway when both come from
     * one sealed hour; {@code DuckDbDependencyReader} passes wider relations). Counted in the child's hour.
     */
    static String dependencies(String children, String parents) {
        return """
                SELECT (c.Timestamp // %3$d) * %3$d AS TimeUnix, p.ServiceName AS Parent, c.ServiceName AS Child,
                    count(*)::BIGINT AS CallCount, count(*) FILTER (WHERE c.StatusCode = '%4$s')::BIGINT AS ErrorCount
                FROM %1$s c JOIN %2$s p ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId
                    AND %5$s = %6$s
                WHERE c.ServiceName <> p.ServiceName
                GROUP BY ALL
                ORDER BY Parent, Child, TimeUnix""".formatted(children, parents, HOUR, Span.StatusCode.ERROR,
                hourStart("c.Timestamp"), hourStart("p.Timestamp"));
    }

    /**
     * The start of the hour that holds a time column, as SQL: floor division ({@code //} truncates towards zero,
     * which would put the hours either side of 1970 together).
     */
    private static String hourStart(String timeColumn) {
        return "(" + timeColumn + " - ((" + timeColumn + " % " + HOUR + ") + " + HOUR + ") % " + HOUR + ")";
    }

    private static String metrics(MetricType type, String source, long window) {
        String identity = "MetricName, MetricUnit, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, Attributes";
        String windowStart = "(TimeUnix // " + window + ") * " + window;
        return switch (type) {
            case GAUGE, SUM -> """
                    SELECT '%1$s' AS MetricType, %2$s, %3$s AS AggregationTemporality, %4$s AS TimeUnix,
                        count(*)::BIGINT AS PointCount, min(Value) AS Min, max(Value) AS Max, sum(Value) AS Sum,
                        arg_max(Value, TimeUnix) AS Last, max(TimeUnix) AS LastTimeUnix,
                        NULL::BIGINT AS ObservationCount, NULL::BIGINT[] AS BucketCounts, NULL::DOUBLE[] AS ExplicitBounds
                    FROM %5$s
                    GROUP BY %2$s%6$s, %4$s
                    ORDER BY MetricName, ServiceName, TimeUnix"""
                    .formatted(type.name(), identity, type == MetricType.SUM ? "AggregationTemporality" : "0",
                            windowStart, source, type == MetricType.SUM ? ", AggregationTemporality" : "");
            case HISTOGRAM -> """
                    WITH points AS (
                        SELECT %2$s, AggregationTemporality, %3$s AS WindowStart, TimeUnix, Count, Sum, Min, Max,
                            BucketCounts, ExplicitBounds
                        FROM %4$s
                    ),
                    summed AS (
                        SELECT %2$s, AggregationTemporality, WindowStart, ExplicitBounds,
                            list(C ORDER BY I)::BIGINT[] AS Summed
                        FROM (
                            SELECT %2$s, AggregationTemporality, WindowStart, ExplicitBounds, I, sum(C) AS C
                            FROM (SELECT %2$s, AggregationTemporality, WindowStart, ExplicitBounds,
                                      generate_subscripts(BucketCounts, 1) AS I, unnest(BucketCounts) AS C
                                  FROM points)
                            GROUP BY %2$s, AggregationTemporality, WindowStart, ExplicitBounds, I
                        )
                        GROUP BY %2$s, AggregationTemporality, WindowStart, ExplicitBounds
                    ),
                    windows AS (
                        SELECT %2$s, AggregationTemporality, WindowStart, ExplicitBounds,
                            count(*) AS PointCount, min(Min) AS Min, max(Max) AS Max,
                            CASE WHEN AggregationTemporality = 1 THEN sum(Sum) ELSE arg_max(Sum, TimeUnix) END AS Sum,
                            (CASE WHEN AggregationTemporality = 1 THEN sum(Count) ELSE arg_max(Count, TimeUnix) END)::BIGINT
                                AS ObservationCount,
                            max(TimeUnix) AS LastTimeUnix, arg_max(BucketCounts, TimeUnix) AS LastBuckets
                        FROM points
                        GROUP BY %2$s, AggregationTemporality, WindowStart, ExplicitBounds
                    )
                    SELECT 'HISTOGRAM' AS MetricType, w.MetricName, w.MetricUnit, w.ServiceName, w.ResourceAttributes,
                        w.ScopeName, w.ScopeVersion, w.Attributes, w.AggregationTemporality, w.WindowStart AS TimeUnix,
                        w.PointCount, w.Min, w.Max, w.Sum, NULL::DOUBLE AS Last, w.LastTimeUnix, w.ObservationCount,
                        CASE WHEN w.AggregationTemporality = 1 THEN coalesce(s.Summed, []::BIGINT[])
                             ELSE w.LastBuckets END AS BucketCounts,
                        w.ExplicitBounds
                    FROM windows w LEFT JOIN summed s
                        ON w.MetricName = s.MetricName AND w.MetricUnit IS NOT DISTINCT FROM s.MetricUnit
                        AND w.ServiceName IS NOT DISTINCT FROM s.ServiceName
                        AND w.ResourceAttributes = s.ResourceAttributes
                        AND w.ScopeName IS NOT DISTINCT FROM s.ScopeName
                        AND w.ScopeVersion IS NOT DISTINCT FROM s.ScopeVersion AND w.Attributes = s.Attributes
                        AND w.AggregationTemporality = s.AggregationTemporality AND w.WindowStart = s.WindowStart
                        AND w.ExplicitBounds = s.ExplicitBounds
                    ORDER BY w.MetricName, w.ServiceName, w.WindowStart"""
                    .formatted(type.name(), identity, windowStart, source);
            // Exponential histograms and summaries: point count, observation count and sum (the window's total
            // for delta temporality, its last snapshot otherwise); their buckets and quantiles are not rolled up.
            case EXPONENTIAL_HISTOGRAM, SUMMARY -> """
                    SELECT '%1$s' AS MetricType, %2$s, %3$s AS AggregationTemporality, %4$s AS TimeUnix,
                        count(*) AS PointCount, NULL::DOUBLE AS Min, NULL::DOUBLE AS Max,
                        CASE WHEN %3$s = 1 THEN sum(Sum) ELSE arg_max(Sum, TimeUnix) END AS Sum, NULL::DOUBLE AS Last,
                        max(TimeUnix) AS LastTimeUnix,
                        (CASE WHEN %3$s = 1 THEN sum(Count) ELSE arg_max(Count, TimeUnix) END)::BIGINT AS ObservationCount,
                        NULL::BIGINT[] AS BucketCounts, NULL::DOUBLE[] AS ExplicitBounds
                    FROM %5$s
                    GROUP BY %2$s%6$s, %4$s
                    ORDER BY MetricName, ServiceName, TimeUnix"""
                    .formatted(type.name(), identity,
                            type == MetricType.SUMMARY ? "0" : "AggregationTemporality", windowStart, source,
                            type == MetricType.SUMMARY ? "" : ", AggregationTemporality");
        };
    }
}
