/**
 * OTLP receivers (gRPC and HTTP with protobuf or JSON), their validation, and the conversion of OTLP messages to
 * the model.
 */
package io.otelservices.ingest.otlp;
