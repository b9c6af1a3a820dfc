package io.otelservices.storage.duckdb;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Series of a long-range metric query answered from rollups: one synthetic point per window, whose value is what
 * the caller's aggregation needs from that window, so that aggregating the points per step (a multiple of the
 * window) gives the raw answer:
 * <pre>
 * avg          the window's mean (sum / points; exact per window, a mean of means across windows)
 * sum, min, max the window's sum, min, max (exact)
 * rate         cumulative: the window's last value at its time; delta: the window's total (exact)
 * pNN          histograms: the window's merged buckets (exact to the buckets); other types: the window's mean
 * </pre>
 * Each point lies at the window's last raw point time, inside the window. Rows of one window from two blocks (late
 * rows) are merged first. Exponential histograms and summaries are not served from rollups. The description is
 * not kept in rollups: series read from them have an empty description.
 */
final class RollupSeries {

    /** Aggregations that rollups can answer; {@code count} needs raw points. */
    static boolean serves(String function) {
        return function != null && (function.equals("avg") || function.equals("sum") || function.equals("min")
                || function.equals("max") || function.equals("rate") || function.matches("p\\d\\d"));
    }

    private record Key(MetricType type, String metricName, String metricUnit, String serviceName,
            Map<String, String> resourceAttributes, String scopeName, String scopeVersion,
            Map<String, String> attributes, int temporality) {}

    /** One window's merged rollup rows. */
    private static final class Window {
        long points;
        double min = Double.NaN;
        double max = Double.NaN;
        double sum;
        double last = Double.NaN;
        long lastTime = Long.MIN_VALUE;
        long observations;
        long[] buckets;
        double[] bounds;
        long[] lastBuckets;
        long lastObservations;
        double lastSum;
    }

    private final String function;
    private final Map<Key, TreeMap<Long, Window>> series = new LinkedHashMap<>();

    RollupSeries(String function) {
        this.function = function;
    }

    /** Adds the current row of a {@code SELECT *} over a rollup relation. */
    void add(ResultSet rs) throws SQLException {
        MetricType type = MetricType.valueOf(rs.getString("MetricType"));
        if (type == MetricType.EXPONENTIAL_HISTOGRAM || type == MetricType.SUMMARY) {
            return;
        }
        Key key = new Key(type, rs.getString("MetricName"), rs.getString("MetricUnit"), rs.getString("ServiceName"),
                DuckDbRowReader.attributes(rs.getObject("ResourceAttributes")), rs.getString("ScopeName"),
                rs.getString("ScopeVersion"), DuckDbRowReader.attributes(rs.getObject("Attributes")),
                rs.getInt("AggregationTemporality"));
        Window window = series.computeIfAbsent(key, k -> new TreeMap<>())
                .computeIfAbsent(rs.getLong("TimeUnix"), t -> new Window());
        long lastTime = rs.getLong("LastTimeUnix");
        window.points += rs.getLong("PointCount");
        window.min = minIgnoringNaN(window.min, doubleOrNaN(rs, "Min"));
        window.max = maxIgnoringNaN(window.max, doubleOrNaN(rs, "Max"));
        window.sum += doubleOrNaN(rs, "Sum");
        if (type == MetricType.HISTOGRAM) {
            long observations = rs.getLong("ObservationCount");
            long[] buckets = DuckDbRowReader.longs(rs.getArray("BucketCounts"));
            window.observations += observations;
            window.buckets = window.buckets == null ? buckets : add(window.buckets, buckets);
            window.bounds = DuckDbRowReader.doubles(rs.getArray("ExplicitBounds"));
            if (lastTime >= window.lastTime) {
                window.lastBuckets = buckets;
                window.lastObservations = observations;
                window.lastSum = doubleOrNaN(rs, "Sum");
            }
        } else if (lastTime >= window.lastTime) {
            window.last = doubleOrNaN(rs, "Last");
        }
        window.lastTime = Math.max(window.lastTime, lastTime);
    }

    /** How many series were read. */
    int seriesCount() {
        return series.size();
    }

    List<MetricSeries> build() {
        List<MetricSeries> result = new ArrayList<>();
        for (Map.Entry<Key, TreeMap<Long, Window>> entry : series.entrySet()) {
            Key key = entry.getKey();
            List<SeriesPoint> points = new ArrayList<>();
            for (Window window : entry.getValue().values()) {
                points.add(new SeriesPoint(0, window.lastTime, 0, value(key, window), List.of()));
            }
            result.add(new MetricSeries(key.type(), key.metricName(), key.metricUnit(), "", key.serviceName(),
                    key.resourceAttributes(), key.scopeName(), key.scopeVersion(), key.attributes(), points));
        }
        result.sort(MetricSeries.IDENTITY_ORDER);
        return result;
    }

    private MetricValue value(Key key, Window window) {
        AggregationTemporality temporality = key.temporality() == AggregationTemporality.DELTA.number()
                ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
        if (key.type() == MetricType.HISTOGRAM) {
            boolean delta = temporality == AggregationTemporality.DELTA;
            long[] buckets = delta ? window.buckets : window.lastBuckets;
            return new MetricValue.Histogram(delta ? window.observations : window.lastObservations,
                    delta ? window.sum : window.lastSum, buckets == null ? new long[0] : buckets,
                    window.bounds == null ? new double[0] : window.bounds, window.min, window.max, temporality);
        }
        double mean = window.points == 0 ? Double.NaN : window.sum / window.points;
        double value = switch (function) {
            case "sum" -> window.sum;
            case "min" -> window.min;
            case "max" -> window.max;
            case "rate" -> temporality == AggregationTemporality.DELTA ? window.sum : window.last;
            default -> mean;
        };
        if (key.type() == MetricType.SUM) {
            return new MetricValue.Sum(value, temporality, true);
        }
        return new MetricValue.Gauge(value);
    }

    private static double doubleOrNaN(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : value;
    }

    private static double minIgnoringNaN(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static double maxIgnoringNaN(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static long[] add(long[] a, long[] b) {
        long[] sum = new long[Math.max(a.length, b.length)];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
        }
        return sum;
    }
}
