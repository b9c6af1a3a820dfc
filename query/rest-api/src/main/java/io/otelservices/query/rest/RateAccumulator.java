package io.otelservices.query.rest;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.Arrays;

/**
 * {@code rate}: the per-second increase in each bucket, summed over the group and divided by the step.
 * <ul>
 *   <li>Delta sums and delta histograms (their count): the values of the points in the bucket.</li>
 *   <li>Cumulative (and unspecified-temporality) monotonic sums, cumulative histograms (count) and summaries
 *       (count): per series, the increase between each point in the bucket and the point before it, which may lie
 *       in an earlier bucket or one step before the range. A drop to a lower value, or a changed start time, is a
 *       counter reset: the increase is then the new value itself.</li>
 *   <li>Gauges and non-monotonic cumulative sums: the plain change between consecutive points (no reset on a drop;
 *       a changed start time still restarts).</li>
 * </ul>
 * A point that has no point before it (the first one of a series) contributes nothing; a "no recorded value" point
 * ends the series, so the next point starts afresh.
 */
final class RateAccumulator implements BucketAccumulator {

    private enum Kind { DELTA, COUNTER, CHANGE }

    private final BucketGrid grid;
    private final double stepSeconds;
    private final double[] increase;
    private final boolean[] present;

    RateAccumulator(BucketGrid grid) {
        this.grid = grid;
        this.stepSeconds = grid.stepSeconds();
        int buckets = (int) grid.bucketCount();
        increase = new double[buckets];
        present = new boolean[buckets];
    }

    @Override
    public void reset() {
        Arrays.fill(increase, 0);
        Arrays.fill(present, false);
    }

    @Override
    public void add(MetricSeries series) {
        boolean hasPrevious = false;
        double previousValue = 0;
        long previousStartNanos = 0;
        for (SeriesPoint point : series.points()) {
            if (point.timeNanos() >= grid.endNanos()) {
                break;
            }
            if ((point.flags() & MetricPoint.FLAG_NO_RECORDED_VALUE) != 0) {
                hasPrevious = false;
                continue;
            }
            MetricValue value = point.value();
            double current = valueOf(value);
            if (Double.isNaN(current)) {
                continue;
            }
            Kind kind = kindOf(value);
            int index = grid.indexOf(point.timeNanos());
            if (kind == Kind.DELTA) {
                if (index >= 0) {
                    addIncrease(index, current);
                }
                continue;
            }
            if (hasPrevious && index >= 0) {
                boolean restarted = point.startTimeNanos() != 0 && previousStartNanos != 0
                        && point.startTimeNanos() != previousStartNanos;
                boolean reset = restarted || (kind == Kind.COUNTER && current < previousValue);
                addIncrease(index, reset ? current : current - previousValue);
            }
            hasPrevious = true;
            previousValue = current;
            previousStartNanos = point.startTimeNanos();
        }
    }

    private void addIncrease(int index, double amount) {
        increase[index] += amount;
        present[index] = true;
    }

    @Override
    public double valueAt(int index) {
        return present[index] ? increase[index] / stepSeconds : Double.NaN;
    }

    /** The number whose increase is measured: the sample for gauges and sums, the count for the others. */
    private static double valueOf(MetricValue value) {
        if (value instanceof MetricValue.Gauge gauge) {
            return gauge.value();
        }
        if (value instanceof MetricValue.Sum sum) {
            return sum.value();
        }
        if (value instanceof MetricValue.Histogram histogram) {
            return histogram.count();
        }
        if (value instanceof MetricValue.ExponentialHistogram histogram) {
            return histogram.count();
        }
        if (value instanceof MetricValue.Summary summary) {
            return summary.count();
        }
        return Double.NaN;
    }

    private static Kind kindOf(MetricValue value) {
        if (value instanceof MetricValue.Gauge) {
            return Kind.CHANGE;
        }
        if (value instanceof MetricValue.Sum sum) {
            if (sum.temporality() == AggregationTemporality.DELTA) {
                return Kind.DELTA;
            }
            return sum.monotonic() ? Kind.COUNTER : Kind.CHANGE;
        }
        if (value instanceof MetricValue.Histogram histogram) {
            return histogram.temporality() == AggregationTemporality.DELTA ? Kind.DELTA : Kind.COUNTER;
        }
        if (value instanceof MetricValue.ExponentialHistogram histogram) {
            return histogram.temporality() == AggregationTemporality.DELTA ? Kind.DELTA : Kind.COUNTER;
        }
        return Kind.COUNTER;
    }
}
