package io.otelservices.query.rest;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.storage.StorageBackend;
import java.time.Clock;

/**
 * The seed REST query API (DESIGN.md §6, docs/API.md): {@code POST /api/v1/traces},
 * {@code GET /api/v1/traces/{traceId}}, {@code POST /api/v1/metrics}, {@code POST /api/v1/logs},
 * {@code GET /api/v1/services/stats} and {@code GET /api/v1/dependencies}. It reads only through the storage SPI,
 * never blocks an event loop, and records {@code otel.query.duration} and {@code otel.query.errors} per
 * {@code query_type} on the given registry. Aggregate queries over closed ranges may be answered from a result
 * cache ({@link QueryCacheConfig}). Thread-safe; one instance may be added to several servers.
 */
public final class RestApi {

    private final QueryMetrics metrics;
    private final ErrorResponses errors;
    private final TraceService traces;
    private final MetricService metricQueries;
    private final LogService logs;
    private final ServiceStatsService serviceStats;
    private final DependencyService dependencies;

    /** An API without a result cache: every query goes to storage. */
    public RestApi(StorageBackend storage, MeterRegistry meters, Clock clock) {
        this(storage, meters, clock, QueryCacheConfig.DISABLED);
    }

    /**
     * @param storage the backend to read from; its {@link StorageBackend#isOverCapacity(Throwable)} decides 503s
     * @param meters where the API's self-metrics go
     * @param clock what "now" is for default time ranges, for which ranges are closed, and for cache expiry
     * @param cache the result cache's settings
     */
    public RestApi(StorageBackend storage, MeterRegistry meters, Clock clock, QueryCacheConfig cache) {
        requireNonNull(storage, "storage");
        requireNonNull(meters, "meters");
        requireNonNull(clock, "clock");
        requireNonNull(cache, "cache");
        metrics = new QueryMetrics(meters);
        errors = new ErrorResponses(storage);
        QueryCache results = new QueryCache(cache, clock, meters);
        traces = new TraceService(storage.traces(), clock);
        metricQueries = new MetricService(storage.series(), clock,
                new SeriesAggregator(SeriesAggregator.DEFAULT_MAX_TOTAL_POINTS), results);
        logs = new LogService(storage.logs(), clock);
        serviceStats = new ServiceStatsService(storage.traces(), storage.logs(), clock, results);
        dependencies = new DependencyService(storage.dependencies(), clock, results);
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
        sb.service("/api/v1/dependencies",
                endpoint(HttpMethod.GET, QueryType.DEPENDENCIES, dependencies::dependencies));
    }

    private QueryEndpoint endpoint(HttpMethod method, QueryType type, QueryHandler handler) {
        return new QueryEndpoint(method, type, handler, errors, metrics);
    }
}
