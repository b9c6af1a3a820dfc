package io.otelservices.storage;

import io.otelservices.model.MetricType;

/** A metric known to storage: its name, point type, unit and latest description. */
public record MetricName(String metricName, MetricType type, String metricUnit, String metricDescription) {}
