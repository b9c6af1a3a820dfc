package io.otelservices.model;

/** The five OTLP metric point types, each stored in its own table ({@link #tableName()}). */
public enum MetricType {
    GAUGE("otel_metrics_gauge"),
    SUM("otel_metrics_sum"),
    HISTOGRAM("otel_metrics_histogram"),
    EXPONENTIAL_HISTOGRAM("otel_metrics_exponential_histogram"),
    SUMMARY("otel_metrics_summary");

    private final String tableName;

    MetricType(String tableName) {
        this.tableName = tableName;
    }

    /** The ClickHouse exporter's table for this point type. */
    public String tableName() {
        return tableName;
    }
}
