package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * A span event.
 *
 * @param timestampNanos Unix epoch nanoseconds
 * @param name event name
 * @param attributes event attributes, non-string values as JSON text
 * @param droppedAttributesCount attributes dropped by the sender
 */
public record SpanEvent(long timestampNanos, String name, Map<String, String> attributes, int droppedAttributesCount) {
    public SpanEvent {
        name = Objects.requireNonNullElse(name, "");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }
}
