/**
 * The Prometheus HTTP API ({@code /api/v1/query}, {@code query_range}, {@code series}, {@code labels}, ...;
 * docs/PROMETHEUS.md) over the PromQL engine and the OpenTelemetry to Prometheus mapping of stored metrics.
 * {@link io.otelservices.query.prometheus.PrometheusApi} is the public entry point (with its
 * {@link io.otelservices.query.prometheus.PrometheusApiConfig}); the server module registers it on the query port.
 */
package io.otelservices.query.prometheus;
