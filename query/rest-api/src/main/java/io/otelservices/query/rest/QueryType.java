package io.otelservices.query.rest;

/** The kinds of query the API answers; the {@code query_type} tag of its self-metrics. */
enum QueryType {
    TRACES("traces"),
    TRACE("trace"),
    METRICS("metrics"),
    LOGS("logs"),
    SERVICE_STATS("service_stats"),
    DEPENDENCIES("dependencies");

    private final String tagValue;

    QueryType(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The value of the {@code query_type} tag. */
    String tagValue() {
        return tagValue;
    }
}
