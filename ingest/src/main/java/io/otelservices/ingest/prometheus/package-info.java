/**
 * The Prometheus remote-write 1.0 receiver ({@code POST /api/v1/write}): snappy and protobuf decoding by hand, the
 * Prometheus-to-OpenTelemetry mapping of samples, metadata and exemplars, and the ordering checks of Prometheus'
 * own receiver.
 */
package io.otelservices.ingest.prometheus;
