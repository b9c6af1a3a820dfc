package io.otelservices.query.rest;

import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.TimeRange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A validated {@code POST /api/v1/metrics} request.
 *
 * @param metricName exact metric name
 * @param serviceName exact service name, or {@code null} for any
 * @param attributes equality filters on point or resource attributes
 * @param grid the range and step
 * @param aggregation what to compute per bucket
 * @param groupBy attribute keys whose values split the output series, in request order
 */
record MetricQueryRequest(
        String metricName,
        String serviceName,
        List<AttributeFilter> attributes,
        BucketGrid grid,
        Aggregation aggregation,
        List<String> groupBy) {

    static final List<String> FIELDS = List.of(
            "metric_name", "service_name", "attributes", "start_time", "end_time", "step", "aggregation", "group_by");

    /** The most buckets (output points) one series may have. */
    static final long MAX_POINTS_PER_SERIES = 11_000;

    /** The default step divides the range into at most this many buckets. */
    static final long DEFAULT_BUCKETS = 120;

    static MetricQueryRequest parse(RequestFields fields, Clock clock) {
        String metricName = fields.nonEmptyString("metric_name");
        if (metricName == null) {
            throw ApiException.badRequest("metric_name", "missing", "the name of a metric");
        }
        String serviceName = fields.nonEmptyString("service_name");
        List<AttributeFilter> attributes = fields.attributes("attributes");
        TimeRange range = fields.timeRange(clock);
        long rangeNanos;
        try {
            rangeNanos = Math.subtractExact(range.endNanos(), range.startNanos());
        } catch (ArithmeticException e) {
            throw ApiException.badRequest("end_time", "the range is too long", "at most 292 years");
        }
        Long requestedStep = fields.secondsOrDurationNanos("step");
        long stepNanos;
        if (requestedStep == null) {
            stepNanos = defaultStepNanos(rangeNanos);
        } else {
            stepNanos = requestedStep;
            if (stepNanos < Timestamps.NANOS_PER_SECOND) {
                throw ApiException.badRequest("step", Timestamps.formatDuration(stepNanos) + " is too small",
                        "at least 1s");
            }
        }
        BucketGrid grid = new BucketGrid(range.startNanos(), range.endNanos(), stepNanos);
        if (grid.bucketCount() > MAX_POINTS_PER_SERIES) {
            throw ApiException.badRequest("step", Timestamps.formatDuration(stepNanos) + " gives "
                    + grid.bucketCount() + " points per series",
                    "at most " + MAX_POINTS_PER_SERIES + " points per series: a larger step or a shorter range");
        }
        String aggregationLabel = fields.nonEmptyString("aggregation");
        Aggregation aggregation = Aggregation.AVG;
        if (aggregationLabel != null) {
            aggregation = Aggregation.ofLabel(aggregationLabel);
            if (aggregation == null) {
                throw ApiException.badRequest("aggregation", RequestFields.shownText(aggregationLabel)
                        + " is unknown", "one of " + Aggregation.allowedLabels());
            }
        }
        List<String> groupBy = fields.stringList("group_by");
        return new MetricQueryRequest(metricName, serviceName, attributes, grid, aggregation, groupBy);
    }

    /** A 120th of the range, rounded up to whole seconds, at least 1s. */
    static long defaultStepNanos(long rangeNanos) {
        long perBucket = rangeNanos / DEFAULT_BUCKETS + (rangeNanos % DEFAULT_BUCKETS == 0 ? 0 : 1);
        long seconds = perBucket / Timestamps.NANOS_PER_SECOND
                + (perBucket % Timestamps.NANOS_PER_SECOND == 0 ? 0 : 1);
        return Math.max(1, seconds) * Timestamps.NANOS_PER_SECOND;
    }

    /**
     * This request in the form that equivalent requests share (the key of {@link QueryCache}): attribute filters
     * sorted by key (they all must hold, in any order; a key appears at most once). The rest is canonical already:
     * the step and range are resolved to nanoseconds, the aggregation to its constant, {@code group_by} keeps its
     * order (it orders the output labels).
     */
    MetricQueryRequest canonical() {
        List<AttributeFilter> sorted = new ArrayList<>(attributes);
        sorted.sort(Comparator.comparing(AttributeFilter::key).thenComparing(AttributeFilter::value));
        return new MetricQueryRequest(metricName, serviceName, List.copyOf(sorted), grid, aggregation,
                List.copyOf(groupBy));
    }

    /**
     * The range to select points from: for aggregations that measure increases, one step more at the start, so
     * that the first bucket has a baseline point.
     */
    TimeRange selectionRange() {
        long start = grid.startNanos();
        if (aggregation.needsBaseline()) {
            start = start - grid.stepNanos() < start ? start - grid.stepNanos() : Long.MIN_VALUE;
        }
        return new TimeRange(start, grid.endNanos());
    }
}
