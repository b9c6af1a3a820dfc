package io.otelservices.query.promql;

/**
 * What the engine will do with a selection, for storage that can read less (Prometheus' {@code SelectHints}).
 * Storage may ignore everything but the time range.
 *
 * @param startMillis first sample time wanted, inclusive
 * @param endMillis last sample time wanted, inclusive
 * @param stepMillis the query's step; 0 for an instant query
 * @param rangeMillis the range of the range selector; 0 for an instant selector
 * @param function the function applied to the selection, or {@code ""}
 */
public record SelectHints(long startMillis, long endMillis, long stepMillis, long rangeMillis, String function) {}
