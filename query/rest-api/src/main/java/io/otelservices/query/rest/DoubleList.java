package io.otelservices.query.rest;

import java.util.Arrays;

/** A growable list of primitive doubles, without boxing. Not thread-safe. */
final class DoubleList {

    private double[] values = new double[8];
    private int size;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /**
     * The nearest-rank quantile: the smallest value with at least {@code quantile * size} values at or below it;
     * {@code NaN} when empty. Sorts the list.
     */
    double nearestRank(double quantile) {
        if (size == 0) {
            return Double.NaN;
        }
        Arrays.sort(values, 0, size);
        // The epsilon keeps 0.9 * 10 (9.000000000000002 in doubles) at rank 9.
        int rank = (int) Math.ceil(quantile * size - 1e-9);
        return values[Math.max(rank, 1) - 1];
    }
}
