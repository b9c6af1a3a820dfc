package io.otelservices.query.rest;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricValue;
import java.util.Arrays;

/**
 * The bucket counts of one histogram point, explicit or exponential, for quantile estimation: subtraction of an
 * earlier cumulative point (the increase between them) and conversion to value buckets of a
 * {@link BucketDistribution}. Immutable.
 */
sealed interface HistogramCounts permits HistogramCounts.Explicit, HistogramCounts.Exponential {

    /** The counts of a histogram value, or {@code null} for other values and for histograms without buckets. */
    static HistogramCounts of(MetricValue value) {
        if (value instanceof MetricValue.Histogram histogram) {
            if (histogram.bucketCounts().length == 0) {
                return null;
            }
            return new Explicit(histogram.explicitBounds(), histogram.bucketCounts(),
                    histogram.temporality() == AggregationTemporality.DELTA);
        }
        if (value instanceof MetricValue.ExponentialHistogram histogram) {
            return new Exponential(histogram.scale(), histogram.zeroCount(), histogram.zeroThreshold(),
                    histogram.positiveOffset(), histogram.positiveBucketCounts(),
                    histogram.negativeOffset(), histogram.negativeBucketCounts(),
                    histogram.temporality() == AggregationTemporality.DELTA);
        }
        return null;
    }

    /** Whether the counts are of the point's own interval (delta temporality) rather than since its start. */
    boolean delta();

    /**
     * The observations between {@code earlier} and this point, or {@code null} when they cannot be compared
     * (different bucket layout, a finer exponential scale than before, or any count lower than before: a reset).
     */
    HistogramCounts minus(HistogramCounts earlier);

    /** Adds every non-empty bucket to {@code distribution}. */
    void addTo(BucketDistribution distribution);

    /** An explicit-bounds histogram: bucket {@code i} is {@code (bounds[i-1], bounds[i]]}, open at both ends. */
    record Explicit(double[] bounds, long[] counts, boolean delta) implements HistogramCounts {

        @Override
        public HistogramCounts minus(HistogramCounts earlier) {
            if (!(earlier instanceof Explicit other) || !Arrays.equals(bounds, other.bounds)
                    || counts.length != other.counts.length) {
                return null;
            }
            long[] difference = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                difference[i] = counts[i] - other.counts[i];
                if (difference[i] < 0) {
                    return null;
                }
            }
            return new Explicit(bounds, difference, true);
        }

        @Override
        public void addTo(BucketDistribution distribution) {
            for (int i = 0; i < counts.length; i++) {
                double lowerBound = i == 0 ? Double.NEGATIVE_INFINITY : bounds[Math.min(i, bounds.length) - 1];
                double upperBound = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
                distribution.add(lowerBound, upperBound, counts[i]);
            }
        }
    }

    /**
     * A base-2 exponential histogram: positive bucket with absolute index {@code i} is {@code (base^i, base^(i+1)]}
     * with {@code base = 2^(2^-scale)}, negative buckets mirror it, and the zero bucket is
     * {@code [-zeroThreshold, zeroThreshold]} (from 0 when there are no negative observations).
     */
    record Exponential(int scale, long zeroCount, double zeroThreshold,
                       int positiveOffset, long[] positive, int negativeOffset, long[] negative, boolean delta)
            implements HistogramCounts {

        @Override
        public HistogramCounts minus(HistogramCounts earlier) {
            if (!(earlier instanceof Exponential other) || other.scale < scale
                    || Double.compare(other.zeroThreshold, zeroThreshold) != 0 || other.zeroCount > zeroCount) {
                return null;
            }
            int downscaleBy = other.scale - scale;
            long[] positiveDifference = subtract(positiveOffset, positive,
                    other.positiveOffset >> downscaleBy, downscale(other.positiveOffset, other.positive, downscaleBy));
            long[] negativeDifference = subtract(negativeOffset, negative,
                    other.negativeOffset >> downscaleBy, downscale(other.negativeOffset, other.negative, downscaleBy));
            if (positiveDifference == null || negativeDifference == null) {
                return null;
            }
            return new Exponential(scale, zeroCount - other.zeroCount, zeroThreshold,
                    positiveOffset, positiveDifference, negativeOffset, negativeDifference, true);
        }

        /** Counts at a coarser scale: index {@code i} moves to {@code i >> by} (floor division by {@code 2^by}). */
        static long[] downscale(int offset, long[] counts, int by) {
            if (by == 0 || counts.length == 0) {
                return counts;
            }
            int newOffset = offset >> by;
            long[] result = new long[((offset + counts.length - 1) >> by) - newOffset + 1];
            for (int i = 0; i < counts.length; i++) {
                result[((offset + i) >> by) - newOffset] += counts[i];
            }
            return result;
        }

        /** {@code later - earlier} on later's index range; {@code null} if a count would go negative. */
        private static long[] subtract(int laterOffset, long[] later, int earlierOffset, long[] earlier) {
            long[] result = later.clone();
            for (int i = 0; i < earlier.length; i++) {
                if (earlier[i] == 0) {
                    continue;
                }
                int position = earlierOffset + i - laterOffset;
                if (position < 0 || position >= result.length) {
                    return null;
                }
                result[position] -= earlier[i];
                if (result[position] < 0) {
                    return null;
                }
            }
            return result;
        }

        @Override
        public void addTo(BucketDistribution distribution) {
            boolean hasNegative = false;
            for (int i = 0; i < negative.length; i++) {
                if (negative[i] > 0) {
                    hasNegative = true;
                    int index = negativeOffset + i;
                    distribution.add(-boundary(index + 1), -boundary(index), negative[i]);
                }
            }
            distribution.add(hasNegative ? -zeroThreshold : 0, zeroThreshold, zeroCount);
            for (int i = 0; i < positive.length; i++) {
                if (positive[i] > 0) {
                    int index = positiveOffset + i;
                    distribution.add(boundary(index), boundary(index + 1), positive[i]);
                }
            }
        }

        /** {@code base^index} = {@code 2^(index * 2^-scale)}. */
        private double boundary(int index) {
            return Math.pow(2.0, Math.scalb((double) index, -scale));
        }
    }
}
