package io.otelservices.query.rest;

import io.otelservices.storage.MetricSeries;

/**
 * Folds the points of one group of series into per-bucket values of one aggregation. Not thread-safe; reused
 * across groups through {@link #reset()}.
 */
interface BucketAccumulator {

    /** Adds every point of {@code series}; points before the grid serve only as baselines, later ones are ignored. */
    void add(MetricSeries series);

    /** The aggregated value of bucket {@code index}, or {@code NaN} where the bucket has no data. */
    double valueAt(int index);

    /** Forgets everything added, ready for the next group. */
    void reset();
}
