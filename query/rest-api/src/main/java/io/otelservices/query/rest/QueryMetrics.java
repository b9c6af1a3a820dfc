package io.otelservices.query.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The API's self-metrics: {@code otel.query.duration{query_type}} (a timer, {@code otel_query_duration_seconds} in
 * Prometheus) and {@code otel.query.errors{query_type}} (a counter, {@code otel_query_errors_total}). Every meter is
 * registered up front so that it reads 0 before the first query. Thread-safe.
 */
final class QueryMetrics {

    static final String DURATION = "otel.query.duration";
    static final String ERRORS = "otel.query.errors";
    static final String QUERY_TYPE_TAG = "query_type";

    private final MeterRegistry registry;
    private final Map<QueryType, Timer> durations = new EnumMap<>(QueryType.class);
    private final Map<QueryType, Counter> errors = new EnumMap<>(QueryType.class);

    QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (QueryType type : QueryType.values()) {
            durations.put(type, Timer.builder(DURATION)
                    .description("Time to answer a query of the REST API, including failed ones")
                    .tag(QUERY_TYPE_TAG, type.tagValue())
                    .register(registry));
            errors.put(type, Counter.builder(ERRORS)
                    .description("REST API queries answered with a 4xx or 5xx status")
                    .tag(QUERY_TYPE_TAG, type.tagValue())
                    .register(registry));
        }
    }

    Timer.Sample start() {
        return Timer.start(registry);
    }

    /** Records one answered query: its duration, and an error when it was answered with a 4xx or 5xx status. */
    void record(QueryType type, Timer.Sample sample, boolean failed) {
        sample.stop(durations.get(type));
        if (failed) {
            errors.get(type).increment();
        }
    }
}
