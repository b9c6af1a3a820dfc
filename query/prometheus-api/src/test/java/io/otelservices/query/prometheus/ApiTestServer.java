package io.otelservices.query.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.query.prometheus.mapping.OtelSeriesQueryable;
import io.otelservices.query.prometheus.mapping.OtlpPoints;
import io.otelservices.storage.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A real Armeria server on a free port serving {@link PrometheusApi} over {@link InMemoryStorage}, with the real
 * PromQL engine or, when given one, a {@link FakeEvaluator}; and a {@link WebClient} to call it. "Now" is
 * {@link #NOW_MILLIS}, two minutes after {@link OtlpPoints#T0_MILLIS}. Registered as a static
 * {@code @RegisterExtension}: one server per test class.
 */
final class ApiTestServer extends ServerExtension {

    static final long NOW_MILLIS = OtlpPoints.T0_MILLIS + 120_000;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);

    final InMemoryStorage storage = new InMemoryStorage();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeEvaluator evaluator;

    /** A server with the real engine. */
    ApiTestServer() {
        this(null);
    }

    /** A server whose PromQL queries go to {@code evaluator}. */
    ApiTestServer(FakeEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** One answer: status, content type, content encoding (or {@code null}) and body (as received). */
    record Response(int status, MediaType contentType, String contentEncoding, String body) {
        JsonNode json() {
            return GoldenFiles.parse(body);
        }

        /** The {@code error} field of an error response. */
        String error() {
            return json().path("error").asText(null);
        }

        String errorType() {
            return json().path("errorType").asText(null);
        }
    }

    @Override
    protected void configure(ServerBuilder sb) {
        // No catalog caching: tests write data between queries while the clock stands still.
        PrometheusApiConfig config = new PrometheusApiConfig(PrometheusApiConfig.DEFAULT.engine(), 1000,
                Duration.ZERO, Duration.ofDays(1));
        if (evaluator == null) {
            new PrometheusApi(storage.series(), meters, CLOCK, config).addTo(sb);
        } else {
            OtelSeriesQueryable queryable = new OtelSeriesQueryable(storage.series(), config.maxSeries(),
                    config.catalogTtl(), CLOCK);
            new PrometheusApi(evaluator, queryable, meters, CLOCK, config).addTo(sb);
        }
    }

    Response get(String pathAndQuery) {
        return execute(HttpRequest.of(RequestHeaders.of(HttpMethod.GET, pathAndQuery)));
    }

    /** A POST with an {@code application/x-www-form-urlencoded} body. */
    Response post(String pathAndQuery, String form) {
        return execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, pathAndQuery)
                .contentType(MediaType.FORM_DATA).build(), HttpData.ofUtf8(form)));
    }

    Response execute(HttpRequest request) {
        AggregatedHttpResponse response = WebClient.builder(httpUri()).responseTimeout(Duration.ofSeconds(30))
                .build().execute(request).aggregate().join();
        return new Response(response.status().code(), response.contentType(),
                response.headers().get(HttpHeaderNames.CONTENT_ENCODING), response.contentUtf8());
    }

    /** The samples of the API's self-metric for {@code endpoint}, or -1 when it has none. */
    long requestCount(String endpoint) {
        var timer = meters.find(ApiMetrics.DURATION).tag(ApiMetrics.ENDPOINT_TAG, endpoint).timer();
        return timer == null ? -1 : timer.count();
    }

    double errorCount(String endpoint, String errorType) {
        var counter = meters.find(ApiMetrics.ERRORS).tag(ApiMetrics.ENDPOINT_TAG, endpoint)
                .tag(ApiMetrics.ERROR_TYPE_TAG, errorType).counter();
        return counter == null ? 0 : counter.count();
    }
}
