package io.otelservices.storage;

/**
 * A half-open time interval {@code [startNanos, endNanos)} in Unix epoch nanoseconds.
 */
public record TimeRange(long startNanos, long endNanos) {

    /** Everything. */
    public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

    public TimeRange {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException(
                    "endNanos: " + endNanos + " (expected: >= startNanos " + startNanos + ")");
        }
    }

    public boolean contains(long timeNanos) {
        return timeNanos >= startNanos && timeNanos < endNanos;
    }
}
