package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.MINUTE;
import static io.otelservices.query.rest.Fixtures.NOW_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import io.otelservices.storage.TimeRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceStatsTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void stats_defaultRange_mergesSpansAndLogs() {
        ApiTestServer.Response response = server.get("/api/v1/services/stats");

        assertThat(response.status()).isEqualTo(200);
        GoldenFiles.assertMatches("service_stats_default", response.body());
        assertThat(server.storage.lastStatsRange).isEqualTo(new TimeRange(NOW_NANOS - 60 * MINUTE, NOW_NANOS));
    }

    @Test
    void stats_serviceWithOnlyLogs_appearsWithZeros() {
        JsonNode worker = server.get("/api/v1/services/stats").json().path("services").path(2);

        assertThat(worker.path("service_name").asText()).isEqualTo("worker");
        assertThat(worker.path("span_count").asLong()).isZero();
        assertThat(worker.path("error_rate").asDouble()).isZero();
        assertThat(worker.path("latency_ns").path("p99").asLong()).isZero();
        assertThat(worker.path("operations")).isEmpty();
        assertThat(worker.path("log_counts").path("DEBUG").asLong()).isEqualTo(1);
    }

    @Test
    void stats_explicitRange_passedToBothReaders() {
        ApiTestServer.Response response =
                server.get("/api/v1/services/stats?start_time=2024-05-01T09:00:00Z&end_time=2024-05-01T10:00:00.5Z");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("start_time").asText()).isEqualTo("2024-05-01T09:00:00.000000000Z");
        assertThat(body.path("end_time").asText()).isEqualTo("2024-05-01T10:00:00.500000000Z");
        assertThat(body.path("services")).hasSize(1);
        assertThat(body.path("services").path(0).path("log_counts").path("INFO").asLong()).isEqualTo(1);
        assertThat(server.storage.lastStatsRange)
                .isEqualTo(new TimeRange(NOW_NANOS - 180 * MINUTE, NOW_NANOS - 120 * MINUTE + 500_000_000L));
    }

    @Test
    void stats_offsetWithEncodedPlus_parsed() {
        ApiTestServer.Response response = server.get(
                "/api/v1/services/stats?start_time=2024-05-01T12:30:00%2B01:00&end_time=2024-05-01T13:00:00%2B01:00");

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.storage.lastStatsRange)
                .isEqualTo(new TimeRange(NOW_NANOS - 30 * MINUTE, NOW_NANOS));
    }

    @Test
    void stats_badTime_returns400() {
        ApiTestServer.Response response = server.get("/api/v1/services/stats?start_time=noon");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("start_time: \"noon\" is not an RFC 3339 time "
                + "(expected: an RFC 3339 time such as 2024-05-01T12:00:00Z)");
    }

    @Test
    void stats_endBeforeStart_returns400() {
        ApiTestServer.Response response = server.get(
                "/api/v1/services/stats?start_time=2024-05-01T11:00:00Z&end_time=2024-05-01T10:00:00Z");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("end_time: ");
    }

    @Test
    void stats_unknownOrRepeatedParameter_returns400() {
        ApiTestServer.Response unknown = server.get("/api/v1/services/stats?service=frontend");
        ApiTestServer.Response repeated = server.get(
                "/api/v1/services/stats?start_time=2024-05-01T11:00:00Z&start_time=2024-05-01T11:30:00Z");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("service: unknown field (expected: one of start_time, end_time)");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.error()).isEqualTo("start_time: given more than once (expected: at most one value)");
    }

    @Test
    void stats_postMethod_returns405() {
        ApiTestServer.Response response = server.execute(HttpMethod.POST, "/api/v1/services/stats", null, "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.allow()).isEqualTo("GET");
    }
}
