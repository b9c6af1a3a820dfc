package io.otelservices.server;

/** The ports a running process actually bound (differs from the configuration where that asked for 0). */
public record BoundPorts(int otlpGrpc, int otlpHttp, int collectorHttp, int query, int metrics, int queryMetrics) {}
