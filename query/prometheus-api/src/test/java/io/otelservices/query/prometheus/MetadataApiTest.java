package io.otelservices.query.prometheus;

import static io.otelservices.query.prometheus.QueryApiTest.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.query.prometheus.ApiTestServer.Response;
import io.otelservices.query.prometheus.mapping.OtlpPoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/v1/series}, {@code labels}, {@code label/{name}/values} and {@code metadata}. */
class MetadataApiTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    private static final String RANGE = "&start=" + OtlpPoints.T0_MILLIS / 1000 + "&end="
            + ApiTestServer.NOW_MILLIS / 1000;

    @BeforeAll
    static void load() {
        ApiFixtures.load(server.storage);
    }

    @Test
    void series_twoSelectors_unionSortedByLabels() {
        Response response = server.get("/api/v1/series?match[]=" + encode("queue_depth") + "&match[]="
                + encode("{__name__=~\"http_server_request_duration_seconds_(sum|count)\"}") + RANGE);

        GoldenFiles.assertMatches("series", response.body());
    }

    @Test
    void series_post_formBody() {
        Response response = server.post("/api/v1/series", "match[]=" + encode("queue_depth") + RANGE);

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"queue_depth\","
                + "\"job\":\"cart\",\"otel_scope_name\":\"io.opentelemetry.http\",\"otel_scope_version\":\"1.2.0\"}]}");
    }

    @Test
    void series_noTimeRange_everything() {
        Response response = server.get("/api/v1/series?match[]=queue_depth");

        assertThat(response.json().get("data")).hasSize(1);
    }

    @Test
    void series_limit_truncatedWithWarning() {
        Response response = server.get("/api/v1/series?match[]=" + encode("{job=\"shop/checkout\"}") + "&limit=2");

        assertThat(response.json().get("data")).hasSize(2);
        assertThat(response.json().at("/warnings/0").asText()).isEqualTo("results truncated due to limit");
    }

    @Test
    void series_outsideTimeRange_empty() {
        Response response = server.get("/api/v1/series?match[]=queue_depth&start=0&end=1");

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void labels_noMatchers_everyLabelName() {
        GoldenFiles.assertMatches("labels", server.get("/api/v1/labels?" + RANGE.substring(1)).body());
    }

    @Test
    void labels_withMatcher_namesOfThoseSeries() {
        Response response = server.get("/api/v1/labels?match[]=queue_depth");

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"job\","
                + "\"otel_scope_name\",\"otel_scope_version\"]}");
    }

    @Test
    void labels_limit_truncatedWithWarning() {
        Response response = server.post("/api/v1/labels", "match[]=queue_depth&limit=1");

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\"],"
                + "\"warnings\":[\"results truncated due to limit\"]}");
    }

    @Test
    void labelValues_metricName_everyExposedName() {
        GoldenFiles.assertMatches("label_values_name", server.get("/api/v1/label/__name__/values").body());
    }

    @Test
    void labelValues_job_withAndWithoutMatcher() {
        assertThat(server.get("/api/v1/label/job/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"cart\",\"shop/checkout\"]}");
        assertThat(server.get("/api/v1/label/job/values?match[]=queue_depth").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"cart\"]}");
        assertThat(server.get("/api/v1/label/le/values?match[]=" + encode("{__name__=~\".+_bucket\"}")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"+Inf\",\"0.1\",\"1\"]}");
    }

    @Test
    void labelValues_unknownLabel_emptyList() {
        assertThat(server.get("/api/v1/label/nothing/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void metadata_allMetrics_typeHelpUnit() {
        GoldenFiles.assertMatches("metadata", server.get("/api/v1/metadata").body());
    }

    @Test
    void metadata_metricAndLimits_filtered() {
        assertThat(server.get("/api/v1/metadata?metric=http_server_requests_total").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"http_server_requests_total\":[{\"type\":\"counter\","
                        + "\"help\":\"HTTP server requests.\",\"unit\":\"\"}]}}");
        assertThat(server.get("/api/v1/metadata?limit=1").json().get("data")).hasSize(1);
        assertThat(server.get("/api/v1/metadata?limit=0").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{}}");
        assertThat(server.get("/api/v1/metadata?limit_per_metric=1").json().get("data")).hasSize(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/v1/series | no match[] parameter provided",
        "/api/v1/series?match[]=up&start=x | invalid parameter \"start\": Invalid time value for 'start': "
                + "cannot parse \"x\" to a valid timestamp",
        "/api/v1/series?match[]=up&end=x | invalid parameter \"end\": Invalid time value for 'end': "
                + "cannot parse \"x\" to a valid timestamp",
        "/api/v1/series?match[]=up&limit=x | invalid parameter \"limit\": strconv.Atoi: parsing \"x\": "
                + "invalid syntax",
        "/api/v1/series?match[]=up{__name__=\"a\"} | invalid parameter \"match[]\": 1:1: parse error: metric name "
                + "must not be set twice: \"up\" or \"a\"",
        "/api/v1/series?match[]={a=\"\"} | invalid parameter \"match[]\": match[] must contain at least one "
                + "non-empty matcher",
        "/api/v1/labels?match[]=up{__name__=\"a\"} | 1:1: parse error: metric name must not be set twice: \"up\" or "
                + "\"a\"",
        "/api/v1/labels?start=x | invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" "
                + "to a valid timestamp",
        "/api/v1/labels?limit=-5 | invalid parameter \"limit\": limit must be non-negative",
        "/api/v1/label/1a/values | invalid label name: \"1a\"",
        "/api/v1/label/job/values?match[]={a=\"\"} | match[] must contain at least one non-empty matcher",
        "/api/v1/label/job/values?end=x | invalid parameter \"end\": Invalid time value for 'end': cannot parse "
                + "\"x\" to a valid timestamp",
        "/api/v1/label/job/values?limit=1.5 | invalid parameter \"limit\": strconv.Atoi: parsing \"1.5\": "
                + "invalid syntax",
        "/api/v1/metadata?limit=x | limit must be a number",
        "/api/v1/metadata?limit_per_metric=x | limit_per_metric must be a number",
    })
    void request_badParameter_badData400WithPrometheusMessage(String path, String message) {
        Response response = server.get(path.replace("{", "%7B").replace("}", "%7D").replace("\"", "%22"));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorType()).isEqualTo("bad_data");
        assertThat(response.error()).isEqualTo(message);
    }
}
