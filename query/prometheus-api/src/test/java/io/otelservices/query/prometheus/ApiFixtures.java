package io.otelservices.query.prometheus;

import static io.otelservices.query.prometheus.mapping.OtlpPoints.CART;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.counter;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.gauge;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.histogram;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.query.prometheus.mapping.OtlpPoints;
import io.otelservices.storage.memory.InMemoryStorage;
import java.util.Map;

/**
 * The metrics the API tests query, OTLP-shaped, at {@link OtlpPoints#T0_MILLIS}, +60 s and +120 s: checkout's HTTP
 * request duration histogram (seconds, with an exemplar), its request counter and its memory gauge, and cart's queue
 * depth. In Prometheus terms: {@code http_server_request_duration_seconds_bucket|_sum|_count},
 * {@code http_server_requests_total}, {@code system_memory_usage_bytes}, {@code queue_depth} and
 * {@code target_info}.
 */
final class ApiFixtures {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private ApiFixtures() {}

    static void load(InMemoryStorage storage) {
        for (int minute = 0; minute <= 2; minute++) {
            int at = minute * 60;
            OtlpPoints.Point duration = histogram("http.server.request.duration", AggregationTemporality.CUMULATIVE,
                    0.5 * (minute + 1), minute + 1, minute, 1).unit("s").at(at)
                    .description("Duration of HTTP server requests.").attribute("http.route", "/cart");
            if (minute == 1) {
                duration.exemplar(at - 5, 0.42, TRACE_ID, Map.of("user.id", "u-7"));
            }
            OtlpPoints.write(storage, duration,
                    counter("http.server.requests", 10 * (minute + 1)).unit("{request}").at(at)
                            .description("HTTP server requests.").attribute("http.route", "/cart"),
                    gauge("system.memory.usage", 1024 * (minute + 1)).unit("By").at(at)
                            .description("Memory in use."),
                    gauge("queue.depth", minute).resource(CART).at(at));
        }
    }
}
