/**
 * The telemetry data model shared by ingest, storage and query: spans, log records and metric points as the
 * storage tables hold them (DESIGN.md §3). Everything here is immutable and free of OTLP and storage types.
 */
package io.otelservices.model;
