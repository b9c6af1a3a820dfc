package io.otelservices.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads metric series. Thread-safe. */
public interface SeriesReader {

    /**
     * The series matching {@code query} with their points in {@code query.range()}, sorted by their identity
     * (service name, then attributes as sorted key/value text). Fails with {@link QueryLimitExceededException} when
     * more than {@code query.maxSeries()} series match.
     */
    CompletableFuture<List<MetricSeries>> select(SeriesQuery query);

    /** Metrics with points in {@code range}, of {@code serviceName} or any service when {@code null}, by name. */
    CompletableFuture<List<MetricName>> metricNames(String serviceName, TimeRange range);
}
