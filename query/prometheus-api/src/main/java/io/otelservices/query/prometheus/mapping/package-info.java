/**
 * Stored OpenTelemetry metrics as Prometheus series (the OpenTelemetry specification's "Prometheus and OpenMetrics
 * Compatibility"): {@link io.otelservices.query.prometheus.mapping.OtelSeriesQueryable} is what the PromQL engine and
 * the Prometheus API read through; everything else here is package-private.
 */
package io.otelservices.query.prometheus.mapping;
