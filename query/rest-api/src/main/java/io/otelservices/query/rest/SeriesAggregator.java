package io.otelservices.query.rest;

import io.otelservices.storage.MetricSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metric aggregation engine of {@code POST /api/v1/metrics}: groups series by their {@code group_by} values,
 * folds each group's points into time buckets with one {@link Aggregation}, and keeps the buckets that have data.
 * A group's key value is the point attribute of that name, else the resource attribute, else {@code ""}
 * ({@code service.name} also falls back to the series' service name). Groups come out sorted by their values.
 * Stateless and thread-safe; the accumulators it creates live for one call.
 */
final class SeriesAggregator {

    /** The most points one response may hold over all its series. */
    static final long DEFAULT_MAX_TOTAL_POINTS = 2_000_000;

    private static final Comparator<List<String>> BY_VALUES = (left, right) -> {
        for (int i = 0; i < left.size(); i++) {
            int order = left.get(i).compareTo(right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    private final long maxTotalPoints;

    SeriesAggregator(long maxTotalPoints) {
        this.maxTotalPoints = maxTotalPoints;
    }

    /**
     * Aggregates {@code series} into {@code grid}'s buckets.
     *
     * @throws ApiException (422) when the result would hold more than the maximum total points
     */
    List<AggregatedSeries> aggregate(
            List<MetricSeries> series, BucketGrid grid, Aggregation aggregation, List<String> groupBy) {
        Map<List<String>, List<MetricSeries>> groups = new TreeMap<>(BY_VALUES);
        for (MetricSeries one : series) {
            groups.computeIfAbsent(groupKey(one, groupBy), key -> new ArrayList<>()).add(one);
        }
        BucketAccumulator accumulator = newAccumulator(aggregation, grid);
        int buckets = (int) grid.bucketCount();
        double[] values = new double[buckets];
        List<AggregatedSeries> result = new ArrayList<>(groups.size());
        long totalPoints = 0;
        for (Map.Entry<List<String>, List<MetricSeries>> group : groups.entrySet()) {
            accumulator.reset();
            for (MetricSeries member : group.getValue()) {
                accumulator.add(member);
            }
            int withData = 0;
            for (int i = 0; i < buckets; i++) {
                values[i] = accumulator.valueAt(i);
                if (!Double.isNaN(values[i])) {
                    withData++;
                }
            }
            if (withData == 0) {
                continue;
            }
            totalPoints += withData;
            if (totalPoints > maxTotalPoints) {
                throw ApiException.limitExceeded("the result holds more than " + maxTotalPoints
                        + " points in all (expected: fewer series through filters or group_by, or a larger step)");
            }
            result.add(compact(labels(groupBy, group.getKey()), grid, values, withData));
        }
        return result;
    }

    static BucketAccumulator newAccumulator(Aggregation aggregation, BucketGrid grid) {
        return switch (aggregation) {
            case AVG, SUM, MIN, MAX, COUNT -> new StatisticsAccumulator(aggregation, grid);
            case RATE -> new RateAccumulator(grid);
            case P50, P90, P95, P99 -> new QuantileAccumulator(grid, aggregation.quantile());
        };
    }

    private static AggregatedSeries compact(Map<String, String> labels, BucketGrid grid, double[] values,
                                            int withData) {
        long[] times = new long[withData];
        double[] kept = new double[withData];
        int next = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                times[next] = grid.bucketStartNanos(i);
                kept[next] = values[i];
                next++;
            }
        }
        return new AggregatedSeries(labels, times, kept);
    }

    private static List<String> groupKey(MetricSeries series, List<String> groupBy) {
        if (groupBy.isEmpty()) {
            return List.of();
        }
        List<String> key = new ArrayList<>(groupBy.size());
        for (String name : groupBy) {
            String value = series.attributes().get(name);
            if (value == null) {
                value = series.resourceAttributes().get(name);
            }
            if (value == null && name.equals("service.name")) {
                value = series.serviceName();
            }
            key.add(value == null ? "" : value);
        }
        return key;
    }

    private static Map<String, String> labels(List<String> groupBy, List<String> values) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < groupBy.size(); i++) {
            labels.put(groupBy.get(i), values.get(i));
        }
        return labels;
    }
}
