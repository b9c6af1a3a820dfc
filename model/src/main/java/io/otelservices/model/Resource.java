package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * The entity that produced telemetry: an OTLP {@code Resource} with its schema URL.
 *
 * @param attributes resource attributes; non-string values are stored as their JSON text (see {@link AttributeValues})
 * @param droppedAttributesCount attributes the sender dropped before export
 * @param schemaUrl the {@code ResourceSpans/ResourceLogs/ResourceMetrics.schema_url}, empty when absent
 */
public record Resource(Map<String, String> attributes, int droppedAttributesCount, String schemaUrl) {

    public static final Resource EMPTY = new Resource(Map.of(), 0, "");

    public Resource {
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        schemaUrl = Objects.requireNonNullElse(schemaUrl, "");
    }

    /** The {@code service.name} attribute, or the empty string where absent (DESIGN.md §3). */
    public String serviceName() {
        return attributes.getOrDefault("service.name", "");
    }
}
