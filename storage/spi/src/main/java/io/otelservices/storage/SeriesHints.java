package io.otelservices.storage;

/**
 * What the caller will do with selected points, so that a backend may pre-aggregate or pick a rollup. Backends may
 * ignore hints entirely.
 *
 * @param stepNanos the step the caller aggregates points into, or 0 when unknown
 * @param function the aggregation the caller applies ({@code avg}, {@code rate}, {@code p95}, ...), or {@code null}
 * @param exemplars whether the caller reads the points' exemplars; when {@code false} a backend may return points
 *     without them (reading exemplars is a good part of the cost of a large selection)
 */
public record SeriesHints(long stepNanos, String function, boolean exemplars) {
    public static final SeriesHints NONE = new SeriesHints(0, null, true);

    /** Points only, without exemplars: what a query engine that computes over values needs. */
    public static final SeriesHints VALUES_ONLY = new SeriesHints(0, null, false);

    public SeriesHints(long stepNanos, String function) {
        this(stepNanos, function, true);
    }
}
