package io.otelservices.storage;

/** How many log records of one service had one severity number. */
public record SeverityCount(String serviceName, int severityNumber, long count) {}
