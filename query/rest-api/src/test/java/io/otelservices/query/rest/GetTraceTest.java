package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import io.otelservices.storage.TimeRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GetTraceTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void getTrace_knownId_returnsEverySpanField() {
        ApiTestServer.Response response = server.get("/api/v1/traces/" + Fixtures.TRACE_A);

        assertThat(response.status()).isEqualTo(200);
        GoldenFiles.assertMatches("get_trace", response.body());
    }

    @Test
    void getTrace_upperCaseId_normalisedToLowerCase() {
        ApiTestServer.Response response = server.get("/api/v1/traces/" + Fixtures.TRACE_A.toUpperCase());

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.storage.lastTraceId).isEqualTo(Fixtures.TRACE_A);
        JsonNode body = response.json();
        assertThat(body.path("trace_id").asText()).isEqualTo(Fixtures.TRACE_A);
        assertThat(body.path("spans")).hasSize(2);
    }

    @Test
    void getTrace_rootSpan_hasEmptyParentAndTimes() {
        JsonNode root = server.get("/api/v1/traces/" + Fixtures.TRACE_B).json().path("spans").path(0);

        assertThat(root.path("parent_span_id").asText()).isEmpty();
        assertThat(root.path("start_time").asText()).isEqualTo("2024-05-01T11:40:00.123456789Z");
        assertThat(root.path("end_time").asText()).isEqualTo("2024-05-01T11:40:00.128456789Z");
        assertThat(root.path("end_time_unix_nano").asText()).isEqualTo("1714563600128456789");
        assertThat(root.path("duration_ns").asLong()).isEqualTo(5_000_000L);
    }

    @Test
    void getTrace_unknownId_returns404() {
        ApiTestServer.Response response = server.get("/api/v1/traces/0123456789abcdef0123456789ABCDEF");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.error()).isEqualTo("trace 0123456789abcdef0123456789abcdef not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4bf92f3577b34da6a3ce929d0e0e473", "4bf92f3577b34da6a3ce929d0e0e47366",
            "zbf92f3577b34da6a3ce929d0e0e4736", "00000000000000000000000000000000"})
    void getTrace_malformedId_returns400(String id) {
        ApiTestServer.Response response = server.get("/api/v1/traces/" + id);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("trace_id: \"" + id + "\" (expected: 32 hex digits, not all zero)");
        assertThat(server.storage.lastTraceId).isNull();
    }

    @Test
    void getTrace_unknownQueryParameter_returns400() {
        ApiTestServer.Response response = server.get("/api/v1/traces/" + Fixtures.TRACE_A + "?format=zipkin");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("format: unknown field (expected: no fields)");
    }

    @Test
    void getTrace_postMethod_returns405() {
        ApiTestServer.Response response =
                server.execute(HttpMethod.POST, "/api/v1/traces/" + Fixtures.TRACE_A, null, "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.allow()).isEqualTo("GET");
    }

    @Test
    void getTrace_passesAllAsHint() {
        server.get("/api/v1/traces/" + Fixtures.TRACE_A);

        assertThat(server.storage.lastTraceId).isEqualTo(Fixtures.TRACE_A);
        assertThat(server.storage.lastTraceHint).isEqualTo(TimeRange.ALL);
    }
}
