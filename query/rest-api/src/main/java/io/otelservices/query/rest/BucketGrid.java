package io.otelservices.query.rest;

/**
 * The time buckets of a metric query: {@code [startNanos + i * stepNanos, startNanos + (i + 1) * stepNanos)},
 * clipped to {@code endNanos}, each labelled by its start. Immutable.
 */
record BucketGrid(long startNanos, long endNanos, long stepNanos) {

    BucketGrid {
        if (stepNanos <= 0) {
            throw new IllegalArgumentException("stepNanos: " + stepNanos + " (expected: > 0)");
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("endNanos: " + endNanos + " (expected: >= " + startNanos + ")");
        }
        Math.subtractExact(endNanos, startNanos); // fails where the range does not fit a long
    }

    /** How many buckets the range holds (the last one may be shorter than a step). */
    long bucketCount() {
        long range = endNanos - startNanos;
        return range / stepNanos + (range % stepNanos == 0 ? 0 : 1);
    }

    /** The bucket holding {@code timeNanos}, or -1 where it lies outside the range. */
    int indexOf(long timeNanos) {
        if (timeNanos < startNanos || timeNanos >= endNanos) {
            return -1;
        }
        return (int) ((timeNanos - startNanos) / stepNanos);
    }

    /** The start of bucket {@code index}, its label. */
    long bucketStartNanos(int index) {
        return startNanos + index * stepNanos;
    }

    double stepSeconds() {
        return stepNanos / (double) Timestamps.NANOS_PER_SECOND;
    }
}
