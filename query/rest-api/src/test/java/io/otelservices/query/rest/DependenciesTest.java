package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.MINUTE;
import static io.otelservices.query.rest.Fixtures.NOW_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.Span;
import io.otelservices.storage.TimeRange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DependenciesTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    /** A span of {@code service} in trace A, a child of {@code parentSpanId}. */
    private static Span child(String spanId, String parentSpanId, String service, long startNanos, String status) {
        return new Span(startNanos, Fixtures.TRACE_A, spanId, parentSpanId, "", 1, "call", Span.SpanKind.SERVER,
                service, Fixtures.PAYMENTS, InstrumentationScope.EMPTY, Map.of(), 0, Fixtures.MILLISECOND, status, "",
                List.of(), 0, List.of(), 0);
    }

    @Test
    void dependencies_defaultRange_lastHour() {
        // frontend -> payments (failing) from the fixtures; payments -> ledger twice, once failing.
        long start = NOW_NANOS - 30 * MINUTE + 20 * Fixtures.MILLISECOND;
        server.storage.spans.add(child("1000000000000001", "5fb397be34d26b51", "ledger", start, Span.StatusCode.OK));
        server.storage.spans.add(child("1000000000000002", "5fb397be34d26b51", "ledger", start,
                Span.StatusCode.ERROR));

        ApiTestServer.Response response = server.get("/api/v1/dependencies");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType().isJson()).isTrue();
        GoldenFiles.assertMatches("dependencies_default", response.body());
        assertThat(server.storage.lastDependencyRange).isEqualTo(new TimeRange(NOW_NANOS - 60 * MINUTE, NOW_NANOS));
    }

    @Test
    void dependencies_explicitRange_passedToStorage() {
        ApiTestServer.Response response = server.get(
                "/api/v1/dependencies?start_time=2024-05-01T11:45:00Z&end_time=2024-05-01T12:00:00.5Z");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("start_time").asText()).isEqualTo("2024-05-01T11:45:00.000000000Z");
        assertThat(body.path("end_time").asText()).isEqualTo("2024-05-01T12:00:00.500000000Z");
        assertThat(body.path("dependencies")).isEmpty();
        assertThat(server.storage.lastDependencyRange)
                .isEqualTo(new TimeRange(NOW_NANOS - 15 * MINUTE, NOW_NANOS + 500_000_000L));
    }

    @Test
    void dependencies_onlyEndTime_hourBeforeIt() {
        ApiTestServer.Response response = server.get("/api/v1/dependencies?end_time=2024-05-01T11:00:00Z");

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.storage.lastDependencyRange)
                .isEqualTo(new TimeRange(NOW_NANOS - 120 * MINUTE, NOW_NANOS - 60 * MINUTE));
    }

    @Test
    void dependencies_badTime_returns400() {
        ApiTestServer.Response response = server.get("/api/v1/dependencies?end_time=yesterday");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("end_time: \"yesterday\" is not an RFC 3339 time "
                + "(expected: an RFC 3339 time such as 2024-05-01T12:00:00Z)");
        assertThat(server.storage.reads.get()).isZero();
    }

    @Test
    void dependencies_endBeforeStart_returns400() {
        ApiTestServer.Response response = server.get(
                "/api/v1/dependencies?start_time=2024-05-01T11:00:00Z&end_time=2024-05-01T10:00:00Z");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("end_time: 2024-05-01T10:00:00.000000000Z is before start_time "
                + "2024-05-01T11:00:00.000000000Z (expected: end_time >= start_time)");
    }

    @Test
    void dependencies_startInTheFuture_returns400() {
        ApiTestServer.Response response = server.get("/api/v1/dependencies?start_time=2024-05-01T13:00:00Z");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("start_time: 2024-05-01T13:00:00.000000000Z is in the future");
    }

    @Test
    void dependencies_unknownOrRepeatedParameter_returns400() {
        ApiTestServer.Response unknown = server.get("/api/v1/dependencies?service_name=frontend");
        ApiTestServer.Response repeated = server.get(
                "/api/v1/dependencies?end_time=2024-05-01T11:00:00Z&end_time=2024-05-01T11:30:00Z");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("service_name: unknown field (expected: one of start_time, end_time)");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.error()).isEqualTo("end_time: given more than once (expected: at most one value)");
    }

    @Test
    void dependencies_postMethod_returns405() {
        ApiTestServer.Response response = server.execute(HttpMethod.POST, "/api/v1/dependencies", null, "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.allow()).isEqualTo("GET");
        assertThat(response.error()).isEqualTo("method: POST (expected: GET)");
    }
}
