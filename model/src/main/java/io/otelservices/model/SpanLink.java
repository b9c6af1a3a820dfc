package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * A link from a span to another span.
 *
 * @param traceId linked trace id, lower-case hex
 * @param spanId linked span id, lower-case hex
 * @param traceState W3C trace state of the linked span, empty when absent
 * @param flags OTLP link flags
 * @param attributes link attributes, non-string values as JSON text
 * @param droppedAttributesCount attributes dropped by the sender
 */
public record SpanLink(
        String traceId, String spanId, String traceState, int flags, Map<String, String> attributes,
        int droppedAttributesCount) {
    public SpanLink {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        traceState = Objects.requireNonNullElse(traceState, "");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }
}
