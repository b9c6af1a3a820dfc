package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * The instrumentation library that recorded telemetry: an OTLP {@code InstrumentationScope} with its schema URL.
 *
 * @param name scope name, empty when absent
 * @param version scope version, empty when absent
 * @param attributes scope attributes, non-string values as JSON text
 * @param droppedAttributesCount attributes the sender dropped
 * @param schemaUrl the {@code ScopeSpans/ScopeLogs/ScopeMetrics.schema_url}, empty when absent
 */
public record InstrumentationScope(
        String name, String version, Map<String, String> attributes, int droppedAttributesCount, String schemaUrl) {

    public static final InstrumentationScope EMPTY = new InstrumentationScope("", "", Map.of(), 0, "");

    public InstrumentationScope {
        name = Objects.requireNonNullElse(name, "");
        version = Objects.requireNonNullElse(version, "");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        schemaUrl = Objects.requireNonNullElse(schemaUrl, "");
    }
}
