package io.otelservices.query.rest;

import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.Arrays;

/**
 * {@code avg}, {@code sum}, {@code min}, {@code max} and {@code count} per bucket. A gauge or sum sample counts as
 * one observation of its value; a histogram, exponential histogram or summary point contributes its own count, sum,
 * min and max fields, so that {@code avg} is Σsum / Σcount over everything in the bucket. Points flagged
 * "no recorded value", NaN samples and absent (NaN) fields are skipped.
 */
final class StatisticsAccumulator implements BucketAccumulator {

    private final Aggregation aggregation;
    private final BucketGrid grid;
    private final double[] sum;
    /** The observations behind {@link #sum}: what {@code avg} divides by. */
    private final double[] sumWeight;
    private final boolean[] hasSum;
    private final double[] count;
    private final boolean[] hasCount;
    private final double[] min;
    private final boolean[] hasMin;
    private final double[] max;
    private final boolean[] hasMax;

    StatisticsAccumulator(Aggregation aggregation, BucketGrid grid) {
        this.aggregation = aggregation;
        this.grid = grid;
        int buckets = (int) grid.bucketCount();
        sum = new double[buckets];
        sumWeight = new double[buckets];
        hasSum = new boolean[buckets];
        count = new double[buckets];
        hasCount = new boolean[buckets];
        min = new double[buckets];
        hasMin = new boolean[buckets];
        max = new double[buckets];
        hasMax = new boolean[buckets];
        reset();
    }

    @Override
    public void reset() {
        Arrays.fill(sum, 0);
        Arrays.fill(sumWeight, 0);
        Arrays.fill(hasSum, false);
        Arrays.fill(count, 0);
        Arrays.fill(hasCount, false);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(hasMin, false);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(hasMax, false);
    }

    @Override
    public void add(MetricSeries series) {
        for (SeriesPoint point : series.points()) {
            int index = grid.indexOf(point.timeNanos());
            if (index < 0 || (point.flags() & MetricPoint.FLAG_NO_RECORDED_VALUE) != 0) {
                continue;
            }
            MetricValue value = point.value();
            if (value instanceof MetricValue.Gauge gauge) {
                addSample(index, gauge.value());
            } else if (value instanceof MetricValue.Sum sumValue) {
                addSample(index, sumValue.value());
            } else if (value instanceof MetricValue.Histogram histogram) {
                addAggregate(index, histogram.count(), histogram.sum(), histogram.min(), histogram.max());
            } else if (value instanceof MetricValue.ExponentialHistogram histogram) {
                addAggregate(index, histogram.count(), histogram.sum(), histogram.min(), histogram.max());
            } else if (value instanceof MetricValue.Summary summary) {
                addAggregate(index, summary.count(), summary.sum(), Double.NaN, Double.NaN);
            }
        }
    }

    private void addSample(int index, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        addAggregate(index, 1, value, value, value);
    }

    private void addAggregate(int index, long observations, double sumValue, double minValue, double maxValue) {
        count[index] += observations;
        hasCount[index] = true;
        if (!Double.isNaN(sumValue)) {
            sum[index] += sumValue;
            sumWeight[index] += observations;
            hasSum[index] = true;
        }
        if (!Double.isNaN(minValue)) {
            min[index] = Math.min(min[index], minValue);
            hasMin[index] = true;
        }
        if (!Double.isNaN(maxValue)) {
            max[index] = Math.max(max[index], maxValue);
            hasMax[index] = true;
        }
    }

    @Override
    public double valueAt(int index) {
        return switch (aggregation) {
            case AVG -> sumWeight[index] > 0 ? sum[index] / sumWeight[index] : Double.NaN;
            case SUM -> hasSum[index] ? sum[index] : Double.NaN;
            case COUNT -> hasCount[index] ? count[index] : Double.NaN;
            case MIN -> hasMin[index] ? min[index] : Double.NaN;
            case MAX -> hasMax[index] ? max[index] : Double.NaN;
            default -> throw new IllegalStateException("not a statistics aggregation: " + aggregation);
        };
    }
}
