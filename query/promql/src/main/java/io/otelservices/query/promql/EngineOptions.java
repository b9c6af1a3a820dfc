package io.otelservices.query.promql;

import java.time.Duration;
import java.util.Objects;

/**
 * Engine settings, Prometheus' defaults in {@link #DEFAULT}.
 *
 * @param lookbackDelta how far back an instant selector looks for a sample ({@code --query.lookback-delta})
 * @param maxSamples the most samples a query may hold in memory at once ({@code --query.max-samples})
 * @param timeout the longest a query may run ({@code --query.timeout}); a request may ask for less
 * @param defaultSubqueryStep a subquery's step when it names none and the query has none (instant queries)
 */
public record EngineOptions(Duration lookbackDelta, long maxSamples, Duration timeout, Duration defaultSubqueryStep) {

    public static final EngineOptions DEFAULT =
            new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2), Duration.ofMinutes(1));

    public EngineOptions {
        Objects.requireNonNull(lookbackDelta, "lookbackDelta");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(defaultSubqueryStep, "defaultSubqueryStep");
        if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
            throw new IllegalArgumentException("lookbackDelta: " + lookbackDelta + " (expected: > 0)");
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples: " + maxSamples + " (expected: > 0)");
        }
    }

    public EngineOptions withMaxSamples(long maxSamples) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, defaultSubqueryStep);
    }

    public EngineOptions withLookbackDelta(Duration lookbackDelta) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, defaultSubqueryStep);
    }
}
