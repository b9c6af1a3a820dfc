package io.otelservices.storage;

import io.otelservices.model.MetricType;
import java.util.Map;
import java.util.Objects;

/**
 * A metric known to storage: its name, point type, unit, and the latest description and metadata.
 *
 * @param metricDescription the description of the metric's latest point
 * @param metricMetadata the OTLP {@code Metric.metadata} of the same point (the one whose description is given), such
 *     as {@code prometheus.type} for metrics that came from Prometheus; empty when it had none
 */
public record MetricName(
        String metricName, MetricType type, String metricUnit, String metricDescription,
        Map<String, String> metricMetadata) {

    public MetricName {
        Objects.requireNonNull(metricName, "metricName");
        Objects.requireNonNull(type, "type");
        metricUnit = Objects.requireNonNullElse(metricUnit, "");
        metricDescription = Objects.requireNonNullElse(metricDescription, "");
        metricMetadata = Map.copyOf(Objects.requireNonNull(metricMetadata, "metricMetadata"));
    }

    /** A metric without metadata. */
    public MetricName(String metricName, MetricType type, String metricUnit, String metricDescription) {
        this(metricName, type, metricUnit, metricDescription, Map.of());
    }
}
