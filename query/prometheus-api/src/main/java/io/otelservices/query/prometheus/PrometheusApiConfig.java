package io.otelservices.query.prometheus;

import io.otelservices.query.promql.EngineOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Prometheus API, {@link #DEFAULT} pinned by a test.
 *
 * @param engine the PromQL engine's settings (lookback delta, sample limit, timeout); Prometheus' defaults
 * @param maxSeries the most series one selection may return, and the most stored series of one metric it may read;
 *     more fail the query with an {@code execution} error
 * @param catalogTtl how long a list of stored metric names is reused; new metrics appear at most this late
 * @param metadataLookback how far back {@code /api/v1/metadata} looks for metrics (Prometheus reports the metadata of
 *     the targets it scrapes now; this is the closest equivalent)
 */
public record PrometheusApiConfig(EngineOptions engine, int maxSeries, Duration catalogTtl, Duration metadataLookback) {

    public static final PrometheusApiConfig DEFAULT =
            new PrometheusApiConfig(EngineOptions.DEFAULT, 100_000, Duration.ofSeconds(5), Duration.ofDays(1));

    public PrometheusApiConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(catalogTtl, "catalogTtl");
        Objects.requireNonNull(metadataLookback, "metadataLookback");
        if (maxSeries <= 0) {
            throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: > 0)");
        }
        if (catalogTtl.isNegative()) {
            throw new IllegalArgumentException("catalogTtl: " + catalogTtl + " (expected: >= 0)");
        }
        if (metadataLookback.isNegative() || metadataLookback.isZero()) {
            throw new IllegalArgumentException("metadataLookback: " + metadataLookback + " (expected: > 0)");
        }
    }

    public PrometheusApiConfig withEngine(EngineOptions engine) {
        return new PrometheusApiConfig(engine, maxSeries, catalogTtl, metadataLookback);
    }

    public PrometheusApiConfig withMaxSeries(int maxSeries) {
        return new PrometheusApiConfig(engine, maxSeries, catalogTtl, metadataLookback);
    }
}
