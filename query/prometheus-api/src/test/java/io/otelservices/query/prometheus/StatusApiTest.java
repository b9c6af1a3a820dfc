package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otelservices.query.prometheus.ApiTestServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status endpoints clients probe: shapes and field names as Prometheus'. */
class StatusApiTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @Test
    void buildInfo_prometheusVersionAndOurs() {
        JsonNode data = server.get("/api/v1/status/buildinfo").json().get("data");

        assertThat(data.get("version").asText()).isEqualTo("2.53.0");
        assertThat(data.get("revision").asText()).startsWith("otelservices-");
        assertThat(data.fieldNames()).toIterable()
                .containsExactly("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
    }

    @Test
    void runtimeInfo_prometheusFields() {
        JsonNode data = server.get("/api/v1/status/runtimeinfo").json().get("data");

        assertThat(data.fieldNames()).toIterable().containsExactly("startTime", "CWD", "reloadConfigSuccess",
                "lastConfigTime", "corruptionCount", "goroutineCount", "GOMAXPROCS", "GOGC", "GODEBUG",
                "storageRetention");
        assertThat(data.get("startTime").asText()).isEqualTo("2024-05-01T12:02:00Z");
        assertThat(data.get("GOMAXPROCS").asInt()).isPositive();
    }

    @Test
    void flags_engineSettings() {
        GoldenFiles.assertMatches("status_flags", server.get("/api/v1/status/flags").body());
    }

    @Test
    void config_emptyYaml() {
        assertThat(server.get("/api/v1/status/config").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"yaml\":\"\"}}");
    }

    @Test
    void targetsRulesAlerts_empty() {
        assertThat(server.get("/api/v1/targets").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}");
        assertThat(server.get("/api/v1/rules").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
        assertThat(server.get("/api/v1/alerts").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
    }

    @Test
    void status_post_405() {
        Response response = server.post("/api/v1/status/buildinfo", "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.errorType()).isEqualTo("bad_data");
    }
}
