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

/**
 * A real Armeria server on a free port serving {@link RestApi} over a {@link FakeStorage} with the fixed
 * {@link Fixtures#CLOCK}, and a {@link WebClient} to call it. Register it as a static {@code @RegisterExtension}.
 */
final class ApiTestServer extends ServerExtension {

    final FakeStorage storage = new FakeStorage();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

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
        new RestApi(storage, meters, Fixtures.CLOCK).addTo(sb);
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
