package io.otelservices.query.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.TimeRange;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code POST /api/v1/metrics}: selects series through the {@link SeriesReader} and aggregates them. */
final class MetricService {

    /** {@link SeriesQuery#maxSeries()} of every selection; more matching series fail the query with a 422. */
    static final int MAX_SERIES = 10_000;

    private final SeriesReader series;
    private final Clock clock;
    private final SeriesAggregator aggregator;
    private final QueryCache cache;

    MetricService(SeriesReader series, Clock clock, SeriesAggregator aggregator, QueryCache cache) {
        this.series = series;
        this.clock = clock;
        this.aggregator = aggregator;
        this.cache = cache;
    }

    CompletableFuture<byte[]> query(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        MetricQueryRequest query = MetricQueryRequest.parse(
                RequestFields.ofJsonBody(request.content().array(), MetricQueryRequest.FIELDS), clock);
        SeriesQuery selection = new SeriesQuery(query.metricName(), query.serviceName(), query.attributes(),
                query.selectionRange(), MAX_SERIES,
                new SeriesHints(query.grid().stepNanos(), query.aggregation().label()));
        TimeRange range = new TimeRange(query.grid().startNanos(), query.grid().endNanos());
        // Aggregation is CPU work proportional to the points selected: keep it off the event loop and off the
        // backend's threads.
        return cache.get(QueryType.METRICS, query.canonical(), range, () -> series.select(selection)
                .thenApplyAsync(selected -> render(query,
                        aggregator.aggregate(selected, query.grid(), query.aggregation(), query.groupBy())),
                        ctx.blockingTaskExecutor()));
    }

    static byte[] render(MetricQueryRequest query, List<AggregatedSeries> result) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.string("metric_name", query.metricName());
        out.string("aggregation", query.aggregation().label());
        long stepNanos = query.grid().stepNanos();
        if (stepNanos % Timestamps.NANOS_PER_SECOND == 0) {
            out.number("step_seconds", stepNanos / Timestamps.NANOS_PER_SECOND);
        } else {
            out.number("step_seconds", query.grid().stepSeconds());
        }
        out.startArray("series");
        for (AggregatedSeries one : result) {
            out.startObject();
            out.stringMap("labels", one.labels());
            out.startArray("points");
            long[] times = one.timesNanos();
            double[] values = one.values();
            for (int i = 0; i < times.length; i++) {
                out.startArray();
                out.stringValue(Timestamps.format(times[i]));
                out.numberValue(values[i]);
                out.endArray();
            }
            out.endArray();
            out.endObject();
        }
        out.endArray();
        out.endObject();
        return out.toBytes();
    }
}
