package io.otelservices.query.rest;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.storage.StorageBackend;
import java.time.Clock;

/**
 * The seed REST query API (DESIGN.md §6, docs/API.md): {@code POST /api/v1/traces},
 * {@code GET /api/v1/traces/{traceId}}, {@code POST /api/v1/metrics}, {@code POST /api/v1/logs} and
 * {@code GET /api/v1/services/stats}. It reads only through the storage SPI, never blocks an event loop, and
 * records {@code otel.query.duration} and {@code otel.query.errors} per {@code query_type} on the given registry.
 * Thread-safe; one instance may be added to several servers.
 */
public final class RestApi {

    private final QueryMetrics metrics;
    private final ErrorResponses errors;
    private final TraceService traces;
    private final MetricService metricQueries;
    private final LogService logs;
    private final ServiceStatsService serviceStats;

    /**
     * @param storage the backend to read from; its {@link StorageBackend#isOverCapacity(Throwable)} decides 503s
     * @param meters where the API's self-metrics go
     * @param clock what "now" is for default time ranges
     */
    public RestApi(StorageBackend storage, MeterRegistry meters, Clock clock) {
        requireNonNull(storage, "storage");
        requireNonNull(meters, "meters");
        requireNonNull(clock, "clock");
        metrics = new QueryMetrics(meters);
        errors = new ErrorResponses(storage);
        traces = new TraceService(storage.traces(), clock);
        metricQueries = new MetricService(storage.series(), clock,
                new SeriesAggregator(SeriesAggregator.DEFAULT_MAX_TOTAL_POINTS));
        logs = new LogService(storage.logs(), clock);
        serviceStats = new ServiceStatsService(storage.traces(), storage.logs(), clock);
    }

    /** Registers the API's routes on {@code sb}. */
    public void addTo(ServerBuilder sb) {
        requireNonNull(sb, "sb");
        sb.service("/api/v1/traces", endpoint(HttpMethod.POST, QueryType.TRACES, traces::search));
        sb.service("/api/v1/traces/{traceId}", endpoint(HttpMethod.GET, QueryType.TRACE, traces::get));
        sb.service("/api/v1/metrics", endpoint(HttpMethod.POST, QueryType.METRICS, metricQueries::query));
        sb.service("/api/v1/logs", endpoint(HttpMethod.POST, QueryType.LOGS, logs::search));
        sb.service("/api/v1/services/stats",
                endpoint(HttpMethod.GET, QueryType.SERVICE_STATS, serviceStats::stats));
    }

    private QueryEndpoint endpoint(HttpMethod method, QueryType type, QueryHandler handler) {
        return new QueryEndpoint(method, type, handler, errors, metrics);
    }
}
