package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage failures map to 503 (over capacity) or 500 (anything else) on every endpoint; oversize bodies are 413 and
 * unknown routes 404.
 */
class StorageFailureTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    private static final List<Function<ApiTestServer, ApiTestServer.Response>> EVERY_ENDPOINT = List.of(
            s -> s.post("/api/v1/traces", "{}"),
            s -> s.get("/api/v1/traces/" + Fixtures.TRACE_A),
            s -> s.post("/api/v1/metrics", "{\"metric_name\":\"m\"}"),
            s -> s.post("/api/v1/logs", "{}"),
            s -> s.get("/api/v1/services/stats"),
            s -> s.get("/api/v1/dependencies"));

    @Test
    void anyEndpoint_storageOverCapacity_returns503() {
        server.storage.failure = new FakeStorage.OverCapacityException("queue full");

        for (Function<ApiTestServer, ApiTestServer.Response> endpoint : EVERY_ENDPOINT) {
            ApiTestServer.Response response = endpoint.apply(server);

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.error()).startsWith("storage is over capacity, retry later: ")
                    .contains("queue full");
        }
    }

    @Test
    void anyEndpoint_storageBroken_returns500WithoutDetails() {
        server.storage.failure = new IllegalStateException("password=hunter2 in connection string");

        for (Function<ApiTestServer, ApiTestServer.Response> endpoint : EVERY_ENDPOINT) {
            ApiTestServer.Response response = endpoint.apply(server);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.error()).startsWith("internal error while answering the ")
                    .doesNotContain("hunter2");
            assertThat(response.contentType().isJson()).isTrue();
        }
    }

    @Test
    void post_bodyOverServerLimit_returns413() {
        // Armeria itself answers, before the API sees the request: the limit is the server's maxRequestLength.
        String huge = "{\"service_name\": \"" + "x".repeat(ApiTestServer.MAX_REQUEST_LENGTH) + "\"}";

        assertThat(server.post("/api/v1/logs", huge).status()).isEqualTo(413);
    }

    @Test
    void unknownRoute_returns404() {
        assertThat(server.get("/api/v1/nothing").status()).isEqualTo(404);
        assertThat(server.post("/api/v1/traces/x/y", "{}").status()).isEqualTo(404);
    }
}
