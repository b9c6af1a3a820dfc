package io.otelservices.model;

import java.util.List;
import java.util.Objects;

/**
 * The type-specific value of one metric data point. Arrays are owned by the value: callers must not change them.
 */
public sealed interface MetricValue {

    /** The point type this value belongs to. */
    MetricType type();

    /** A gauge sample (integer samples converted to double). */
    record Gauge(double value) implements MetricValue {
        @Override
        public MetricType type() {
            return MetricType.GAUGE;
        }
    }

    /** A sum sample with its temporality and monotonicity. */
    record Sum(double value, AggregationTemporality temporality, boolean monotonic) implements MetricValue {
        public Sum {
            Objects.requireNonNull(temporality, "temporality");
        }

        @Override
        public MetricType type() {
            return MetricType.SUM;
        }
    }

    /**
     * An explicit-bucket histogram point.
     *
     * @param bucketCounts one more count than {@code explicitBounds}; may be empty (count and sum only)
     * @param min minimum, {@code NaN} when absent
     * @param max maximum, {@code NaN} when absent
     * @param sum sum, {@code NaN} when absent
     */
    record Histogram(
            long count, double sum, long[] bucketCounts, double[] explicitBounds, double min, double max,
            AggregationTemporality temporality) implements MetricValue {
        public Histogram {
            Objects.requireNonNull(bucketCounts, "bucketCounts");
            Objects.requireNonNull(explicitBounds, "explicitBounds");
            Objects.requireNonNull(temporality, "temporality");
        }

        @Override
        public MetricType type() {
            return MetricType.HISTOGRAM;
        }
    }

    /**
     * A base-2 exponential histogram point.
     *
     * @param zeroThreshold width of the zero bucket
     * @param min minimum, {@code NaN} when absent
     * @param max maximum, {@code NaN} when absent
     * @param sum sum, {@code NaN} when absent
     */
    record ExponentialHistogram(
            long count, double sum, int scale, long zeroCount, double zeroThreshold,
            int positiveOffset, long[] positiveBucketCounts,
            int negativeOffset, long[] negativeBucketCounts,
            double min, double max, AggregationTemporality temporality) implements MetricValue {
        public ExponentialHistogram {
            Objects.requireNonNull(positiveBucketCounts, "positiveBucketCounts");
            Objects.requireNonNull(negativeBucketCounts, "negativeBucketCounts");
            Objects.requireNonNull(temporality, "temporality");
        }

        @Override
        public MetricType type() {
            return MetricType.EXPONENTIAL_HISTOGRAM;
        }
    }

    /** A summary point with its quantiles. */
    record Summary(long count, double sum, List<ValueAtQuantile> quantiles) implements MetricValue {
        public Summary {
            quantiles = List.copyOf(Objects.requireNonNull(quantiles, "quantiles"));
        }

        @Override
        public MetricType type() {
            return MetricType.SUMMARY;
        }
    }

    /** One quantile of a summary: {@code quantile} in [0, 1]. */
    record ValueAtQuantile(double quantile, double value) {}
}
