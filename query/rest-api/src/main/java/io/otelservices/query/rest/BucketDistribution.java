package io.otelservices.query.rest;

import java.util.Arrays;

/**
 * Observation counts in value buckets {@code (lower, upper]}, merged from any number of histogram points, and the
 * quantile estimate of Prometheus' {@code histogram_quantile}: find the bucket holding rank {@code q * total} and
 * interpolate linearly within it. As there, a quantile in the {@code +Inf} bucket is the bucket's finite lower
 * bound, and in the lowest bucket of an explicit histogram ({@code -Inf} lower bound) the lower bound is taken as 0
 * unless the upper bound is at or below 0, which is then the answer.
 *
 * <p>Buckets are kept sorted by upper, then lower bound; buckets with the same bounds are merged, so the size is
 * bounded by the distinct bounds seen. Series with different bounds are merged on the union of their buckets, which
 * is an approximation where the buckets overlap. Not thread-safe.
 */
final class BucketDistribution {

    private double[] lower = new double[16];
    private double[] upper = new double[16];
    private double[] count = new double[16];
    private int size;
    private double total;

    void clear() {
        size = 0;
        total = 0;
    }

    double total() {
        return total;
    }

    /** Adds {@code observations} to the bucket {@code (lowerBound, upperBound]}; zero counts are ignored. */
    void add(double lowerBound, double upperBound, double observations) {
        if (!(observations > 0)) {
            return;
        }
        total += observations;
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = compare(upper[middle], lower[middle], upperBound, lowerBound);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                count[middle] += observations;
                return;
            }
        }
        if (size == upper.length) {
            lower = Arrays.copyOf(lower, size * 2);
            upper = Arrays.copyOf(upper, size * 2);
            count = Arrays.copyOf(count, size * 2);
        }
        System.arraycopy(lower, low, lower, low + 1, size - low);
        System.arraycopy(upper, low, upper, low + 1, size - low);
        System.arraycopy(count, low, count, low + 1, size - low);
        lower[low] = lowerBound;
        upper[low] = upperBound;
        count[low] = observations;
        size++;
    }

    private static int compare(double upperA, double lowerA, double upperB, double lowerB) {
        int byUpper = Double.compare(upperA, upperB);
        return byUpper != 0 ? byUpper : Double.compare(lowerA, lowerB);
    }

    /** The estimated {@code quantile} (0..1) of the observations, {@code NaN} when there are none. */
    double quantile(double quantile) {
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double below = 0;
        for (int i = 0; i < size; i++) {
            if (below + count[i] >= rank) {
                return interpolate(i, rank - below);
            }
            below += count[i];
        }
        // Rounding left the rank just above the last cumulative count: the answer is the top bucket's.
        return interpolate(size - 1, count[size - 1]);
    }

    private double interpolate(int bucket, double rankInBucket) {
        double low = lower[bucket];
        double high = upper[bucket];
        if (high == Double.POSITIVE_INFINITY) {
            return low == Double.NEGATIVE_INFINITY ? Double.NaN : low;
        }
        if (low == Double.NEGATIVE_INFINITY) {
            if (high <= 0) {
                return high;
            }
            low = 0;
        }
        return low + (high - low) * (rankInBucket / count[bucket]);
    }
}
