package io.otelservices.query.prometheus.mapping;

import java.util.Objects;

/**
 * The Prometheus metadata of one metric family, as {@code /api/v1/metadata} returns it.
 *
 * @param metric the family's name ({@code http_server_request_duration_seconds}, not its {@code _bucket} series)
 * @param type {@code gauge}, {@code counter}, {@code histogram}, {@code summary}, or the stored
 *     {@code prometheus.type} of metrics that came from Prometheus
 * @param help the stored description
 * @param unit the unit in Prometheus words ({@code seconds}), {@code ""} when none
 */
public record MetricMetadata(String metric, String type, String help, String unit) {
    public MetricMetadata {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(unit, "unit");
    }
}
