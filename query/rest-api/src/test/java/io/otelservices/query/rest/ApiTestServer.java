package io.otelservices.query.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * A real Armeria server on a free port serving {@link RestApi} over a {@link FakeStorage}, and a {@link WebClient}
 * to call it. By default it has the fixed {@link Fixtures#CLOCK} and no result cache, and is registered as a static
 * {@code @RegisterExtension} (one server per class); with a clock and a cache of its own it starts afresh for each
 * test, registered as an instance field.
 */
final class ApiTestServer extends ServerExtension {

    final FakeStorage storage = new FakeStorage();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock;
    private final QueryCacheConfig cache;
    private final boolean forEachTest;

    ApiTestServer() {
        this(Fixtures.CLOCK, QueryCacheConfig.DISABLED, false);
    }

    /** A server for each test, whose API has {@code clock} and {@code cache}. */
    ApiTestServer(Clock clock, QueryCacheConfig cache) {
        this(clock, cache, true);
    }

    private ApiTestServer(Clock clock, QueryCacheConfig cache, boolean forEachTest) {
        this.clock = clock;
        this.cache = cache;
        this.forEachTest = forEachTest;
    }

    @Override
    protected boolean runForEachTest() {
        return forEachTest;
    }

    /** One answer: status, content type and body. */
    record Response(int status, MediaType contentType, String body, String allow) {
        JsonNode json() {
            return GoldenFiles.parse(body);
        }

        String error() {
            return json().path("error").asText(null);
        }
    }

    /** The server's request size limit, small so that the 413 path is cheap to test. */
    static final int MAX_REQUEST_LENGTH = 64 * 1024;

    @Override
    protected void configure(ServerBuilder sb) {
        sb.maxRequestLength(MAX_REQUEST_LENGTH);
        new RestApi(storage, meters, clock, cache).addTo(sb);
    }

    /** Resets the fake to the canned fixtures. */
    void loadFixtures() {
        storage.clear();
        storage.spans.addAll(Fixtures.spans());
        storage.logs.addAll(Fixtures.logs());
    }

    Response post(String path, String json) {
        return execute(HttpMethod.POST, path, MediaType.JSON_UTF_8, json);
    }

    Response get(String path) {
        return execute(HttpMethod.GET, path, null, "");
    }

    Response execute(HttpMethod method, String path, MediaType contentType, String body) {
        RequestHeadersBuilder headers = RequestHeaders.builder(method, path);
        if (contentType != null) {
            headers.contentType(contentType);
        }
        HttpRequest request = body.isEmpty() ? HttpRequest.of(headers.build())
                : HttpRequest.of(headers.build(), HttpData.ofUtf8(body));
        AggregatedHttpResponse response = webClient().execute(request).aggregate().join();
        return new Response(response.status().code(), response.contentType(), response.contentUtf8(),
                response.headers().get("allow"));
    }

    double errorCount(String queryType) {
        Counter counter = meters.find(QueryMetrics.ERRORS).tag(QueryMetrics.QUERY_TYPE_TAG, queryType).counter();
        return counter == null ? -1 : counter.count();
    }

    long queryCount(String queryType) {
        Timer timer = meters.find(QueryMetrics.DURATION).tag(QueryMetrics.QUERY_TYPE_TAG, queryType).timer();
        return timer == null ? -1 : timer.count();
    }
}
