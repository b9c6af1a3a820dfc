package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * A metric exemplar.
 *
 * @param timestampNanos Unix epoch nanoseconds
 * @param value the measurement (integer measurements converted to double)
 * @param traceId lower-case hex, or empty
 * @param spanId lower-case hex, or empty
 * @param filteredAttributes attributes filtered out of the point's attributes, non-string values as JSON text
 */
public record Exemplar(
        long timestampNanos, double value, String traceId, String spanId, Map<String, String> filteredAttributes) {
    public Exemplar {
        traceId = Objects.requireNonNullElse(traceId, "");
        spanId = Objects.requireNonNullElse(spanId, "");
        filteredAttributes = Map.copyOf(Objects.requireNonNull(filteredAttributes, "filteredAttributes"));
    }
}
