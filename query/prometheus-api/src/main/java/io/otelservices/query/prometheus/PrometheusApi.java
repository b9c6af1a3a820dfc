package io.otelservices.query.prometheus;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.EncodingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.query.prometheus.mapping.OtelSeriesQueryable;
import io.otelservices.storage.SeriesReader;
import java.time.Clock;
import java.time.Duration;

/**
 * The Prometheus HTTP API (docs/PROMETHEUS.md) over stored OpenTelemetry metrics: PromQL queries
 * ({@code /api/v1/query}, {@code query_range}), series and label lookups, metric metadata, exemplars, query
 * formatting and parsing, and the status endpoints clients probe. Responses have Prometheus' JSON shapes, statuses
 * and messages; the data is the OpenTelemetry to Prometheus mapping of
 * {@link io.otelservices.query.prometheus.mapping.OtelSeriesQueryable}. It reads only through the storage SPI, never
 * blocks an event loop, and records {@code otel.prometheus.api.*} self-metrics. Thread-safe; one instance may be
 * added to several servers.
 */
public final class PrometheusApi {

    /** Room beyond the engine's timeout, so that the engine's own timeout error reaches the client. */
    private static final Duration REQUEST_TIMEOUT_SLACK = Duration.ofSeconds(10);

    private final ApiMetrics metrics;
    private final Duration requestTimeout;
    private final QueryService queries;
    private final MetadataService metadata;
    private final StatusService status;

    /**
     * @param series where the metric series are stored
     * @param meters where the API's self-metrics go
     * @param clock "now" for queries without a time, and the time of the metric-name cache
     * @param config the API's and the engine's settings
     */
    public PrometheusApi(SeriesReader series, MeterRegistry meters, Clock clock, PrometheusApiConfig config) {
        this(new OtelSeriesQueryable(requireNonNull(series, "series"), requireNonNull(config, "config").maxSeries(),
                config.catalogTtl(), requireNonNull(clock, "clock")), meters, clock, config);
    }

    private PrometheusApi(OtelSeriesQueryable queryable, MeterRegistry meters, Clock clock,
            PrometheusApiConfig config) {
        this(new EngineEvaluator(config.engine(), queryable), queryable, meters, clock, config);
    }

    /** An API over another evaluator (tests). */
    PrometheusApi(QueryEvaluator evaluator, OtelSeriesQueryable queryable, MeterRegistry meters, Clock clock,
            PrometheusApiConfig config) {
        requireNonNull(meters, "meters");
        this.metrics = new ApiMetrics(meters);
        this.requestTimeout = config.engine().timeout().plus(REQUEST_TIMEOUT_SLACK);
        this.queries = new QueryService(evaluator, queryable, clock);
        this.metadata = new MetadataService(queryable, clock, config.metadataLookback());
        this.status = new StatusService(clock.instant(), config.engine());
    }

    /** Registers the API's routes on {@code sb}. */
    public void addTo(ServerBuilder sb) {
        requireNonNull(sb, "sb");
        route(sb, "/api/v1/query", "query", true, queries::query);
        route(sb, "/api/v1/query_range", "query_range", true, queries::queryRange);
        route(sb, "/api/v1/query_exemplars", "query_exemplars", true, queries::queryExemplars);
        route(sb, "/api/v1/format_query", "format_query", true, queries::formatQuery);
        route(sb, "/api/v1/parse_query", "parse_query", true, queries::parseQuery);
        route(sb, "/api/v1/series", "series", true, metadata::series);
        route(sb, "/api/v1/labels", "labels", true, metadata::labelNames);
        route(sb, "/api/v1/label/{name}/values", "label_values", false, metadata::labelValues);
        route(sb, "/api/v1/metadata", "metadata", false, metadata::metadata);
        route(sb, "/api/v1/status/buildinfo", "status", false, status::buildInfo);
        route(sb, "/api/v1/status/runtimeinfo", "status", false, status::runtimeInfo);
        route(sb, "/api/v1/status/flags", "status", false, status::flags);
        route(sb, "/api/v1/status/config", "status", false, status::config);
        route(sb, "/api/v1/targets", "targets", false, status::targets);
        route(sb, "/api/v1/rules", "rules", false, status::rules);
        route(sb, "/api/v1/alerts", "alerts", false, status::alerts);
    }

    private void route(ServerBuilder sb, String path, String name, boolean postAllowed, ApiHandler handler) {
        // Compressed when the client accepts it, as Prometheus does: range query answers are large and repetitive.
        sb.service(path, new ApiEndpoint(name, postAllowed, handler, metrics, requestTimeout)
                .decorate(EncodingService.newDecorator()));
    }
}
