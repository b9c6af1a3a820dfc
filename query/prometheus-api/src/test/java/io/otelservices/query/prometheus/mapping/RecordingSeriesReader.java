package io.otelservices.query.prometheus.mapping;

import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.TimeRange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link SeriesReader} that passes calls on to another and records them. */
final class RecordingSeriesReader implements SeriesReader {

    final List<SeriesQuery> selects = new CopyOnWriteArrayList<>();
    final AtomicInteger metricNameCalls = new AtomicInteger();
    private final SeriesReader delegate;

    RecordingSeriesReader(SeriesReader delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<List<MetricSeries>> select(SeriesQuery query) {
        selects.add(query);
        return delegate.select(query);
    }

    @Override
    public CompletableFuture<List<MetricName>> metricNames(String serviceName, TimeRange range) {
        metricNameCalls.incrementAndGet();
        return delegate.metricNames(serviceName, range);
    }
}
