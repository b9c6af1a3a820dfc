package io.otelservices.query.promql;

import java.util.Objects;

/**
 * A series with its float samples in time order: what storage hands the engine, and what a range query or a range
 * vector gives back. The arrays may be longer than {@code size}; only the first {@code size} entries count. A sample
 * whose value is {@link #STALE_NAN} is a staleness marker (storage keeps it; the engine ends the series there).
 * Immutable by convention: nobody writes to the arrays once the series is built.
 */
public final class Series {

    /** Prometheus' staleness marker: a NaN with its own bit pattern, told apart from other NaNs by its bits. */
    public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private final Labels labels;
    private final long[] timestampsMillis;
    private final double[] values;
    private final int size;

    public Series(Labels labels, long[] timestampsMillis, double[] values, int size) {
        this.labels = Objects.requireNonNull(labels, "labels");
        this.timestampsMillis = Objects.requireNonNull(timestampsMillis, "timestampsMillis");
        this.values = Objects.requireNonNull(values, "values");
        if (size < 0 || size > timestampsMillis.length || size > values.length) {
            throw new IllegalArgumentException("size: " + size + " (expected: 0.." + Math.min(timestampsMillis.length,
                    values.length) + ")");
        }
        this.size = size;
    }

    public Series(Labels labels, long[] timestampsMillis, double[] values) {
        this(labels, timestampsMillis, values, Math.min(timestampsMillis.length, values.length));
    }

    public static boolean isStaleMarker(double value) {
        return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
    }

    public Labels labels() {
        return labels;
    }

    public int size() {
        return size;
    }

    public long timestampMillis(int index) {
        return timestampsMillis[index];
    }

    public double value(int index) {
        return values[index];
    }

    /** The backing arrays, for loops that must not copy; read only the first {@link #size()} entries. */
    long[] timestampsArray() {
        return timestampsMillis;
    }

    double[] valuesArray() {
        return values;
    }

    @Override
    public String toString() {
        return labels + " (" + size + " samples)";
    }
}
