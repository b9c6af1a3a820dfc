package io.otelservices.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One metric data point with the identity of its metric, as stored in the {@code otel_metrics_*} table of its
 * {@link MetricType} (DESIGN.md §3). Immutable.
 *
 * @param resource the resource that produced the point
 * @param scope the instrumentation scope that recorded it
 * @param serviceName the resource's {@code service.name}, empty when absent
 * @param metricName metric name as sent (not yet translated to Prometheus conventions)
 * @param metricDescription description, empty when absent
 * @param metricUnit UCUM unit, empty when absent
 * @param metricMetadata the OTLP {@code Metric.metadata} attributes, non-string values as JSON text
 * @param attributes point attributes, non-string values as JSON text
 * @param startTimeNanos start of the aggregation window, Unix epoch nanoseconds, 0 when absent
 * @param timeNanos the point's time, Unix epoch nanoseconds
 * @param flags OTLP data point flags ({@code 1} = no recorded value)
 * @param exemplars exemplars of the point
 * @param value the type-specific value
 */
public record MetricPoint(
        Resource resource,
        InstrumentationScope scope,
        String serviceName,
        String metricName,
        String metricDescription,
        String metricUnit,
        Map<String, String> metricMetadata,
        Map<String, String> attributes,
        long startTimeNanos,
        long timeNanos,
        int flags,
        List<Exemplar> exemplars,
        MetricValue value) {

    /** OTLP {@code DataPointFlags.FLAG_NO_RECORDED_VALUE}: the point marks a series as stale. */
    public static final int FLAG_NO_RECORDED_VALUE = 1;

    public MetricPoint {
        resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
        scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
        serviceName = Objects.requireNonNullElse(serviceName, "");
        Objects.requireNonNull(metricName, "metricName");
        metricDescription = Objects.requireNonNullElse(metricDescription, "");
        metricUnit = Objects.requireNonNullElse(metricUnit, "");
        metricMetadata = Map.copyOf(Objects.requireNonNull(metricMetadata, "metricMetadata"));
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        exemplars = List.copyOf(Objects.requireNonNull(exemplars, "exemplars"));
        Objects.requireNonNull(value, "value");
    }

    /** The point type, from its value. */
    public MetricType type() {
        return value.type();
    }
}
