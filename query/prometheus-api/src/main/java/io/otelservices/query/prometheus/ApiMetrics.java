package io.otelservices.query.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus API's self-metrics: {@code otel.prometheus.api.duration{endpoint}} (a timer, failed requests
 * included), {@code otel.prometheus.api.errors{endpoint,error_type}} (a counter) and
 * {@code otel.prometheus.api.samples{endpoint}} (samples a PromQL query read). Thread-safe.
 */
final class ApiMetrics {

    static final String DURATION = "otel.prometheus.api.duration";
    static final String ERRORS = "otel.prometheus.api.errors";
    static final String SAMPLES = "otel.prometheus.api.samples";
    static final String ENDPOINT_TAG = "endpoint";
    static final String ERROR_TYPE_TAG = "error_type";

    private final MeterRegistry registry;
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> samples = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers an endpoint's meters up front, so that they read 0 before its first request. */
    void register(String endpoint) {
        durations.computeIfAbsent(endpoint, e -> Timer.builder(DURATION)
                .description("Time to answer a request of the Prometheus API, failed ones included")
                .tag(ENDPOINT_TAG, e).register(registry));
        samples.computeIfAbsent(endpoint, e -> DistributionSummary.builder(SAMPLES)
                .description("Samples a PromQL query of the Prometheus API read from storage")
                .tag(ENDPOINT_TAG, e).register(registry));
    }

    /** Records one answered request; {@code error} is {@code null} for a success. */
    void record(String endpoint, long startNanos, ErrorType error, long samplesRead) {
        register(endpoint);
        durations.get(endpoint).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (samplesRead > 0) {
            samples.get(endpoint).record(samplesRead);
        }
        if (error != null) {
            errors.computeIfAbsent(endpoint + '\0' + error.wireName(), key -> Counter.builder(ERRORS)
                    .description("Prometheus API requests answered with an error")
                    .tag(ENDPOINT_TAG, endpoint).tag(ERROR_TYPE_TAG, error.wireName())
                    .register(registry)).increment();
        }
    }
}
