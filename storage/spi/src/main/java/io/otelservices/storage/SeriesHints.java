package io.otelservices.storage;

/**
 * What the caller will do with selected points, so that a backend may pre-aggregate or pick a rollup. Backends may
 * ignore hints entirely.
 *
 * @param stepNanos the step the caller aggregates points into, or 0 when unknown
 * @param function the aggregation the caller applies ({@code avg}, {@code rate}, {@code p95}, ...), or {@code null}
 */
public record SeriesHints(long stepNanos, String function) {
    public static final SeriesHints NONE = new SeriesHints(0, null);
}
