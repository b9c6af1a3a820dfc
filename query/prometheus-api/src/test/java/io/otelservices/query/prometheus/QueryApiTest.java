package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.otelservices.query.prometheus.ApiTestServer.Response;
import io.otelservices.query.prometheus.mapping.OtlpPoints;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/v1/query} and {@code /api/v1/query_range} end to end: real engine, OTLP-shaped stored metrics. */
class QueryApiTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    private static final long T0_SECONDS = OtlpPoints.T0_MILLIS / 1000;

    @BeforeAll
    static void load() {
        ApiFixtures.load(server.storage);
    }

    @Test
    void query_counter_vectorWithTranslatedLabels() {
        Response response = server.get(query("http_server_requests_total"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(MediaType.JSON_UTF_8);
        GoldenFiles.assertMatches("query_vector", response.body());
    }

    @Test
    void query_rangeVectorSelector_matrix() {
        GoldenFiles.assertMatches("query_matrix", server.get(query("system_memory_usage_bytes[2m]")).body());
    }

    @Test
    void query_histogramQuantile_overTranslatedBuckets() {
        Response response = server.get(query(
                "histogram_quantile(0.5, sum by (le) (rate(http_server_request_duration_seconds_bucket[2m])))"));

        GoldenFiles.assertMatches("query_histogram_quantile", response.body());
    }

    @Test
    void query_targetInfoJoin_resourceAttributeOnTheResult() {
        Response response = server.get(query("system_memory_usage_bytes * on (job, instance) "
                + "group_left (host_name) target_info"));

        assertThat(response.json().at("/data/result/0/metric/host_name").asText()).isEqualTo("node-a");
        assertThat(response.json().at("/data/result/0/value/1").asText()).isEqualTo("3072");
    }

    @Test
    void query_scalar_timeAsGoFloat() {
        Response response = server.get("/api/v1/query?query=1%2B1&time=1435781451.5");

        assertThat(response.body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1435781451.5,\"2\"]}}");
    }

    @Test
    void query_string_resultPair() {
        Response response = server.get("/api/v1/query?query=%22hello%22&time=12");

        assertThat(response.body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[12,\"hello\"]}}");
    }

    @Test
    void query_vectorTime_millisecondsAsThreeDecimals() {
        Response response = server.get("/api/v1/query?query=vector(1)&time=1435781451.5");

        assertThat(response.body()).contains("\"value\":[1435781451.500,\"1\"]");
    }

    @Test
    void query_specialValues_prometheusFloatText() {
        assertThat(server.get("/api/v1/query?query=NaN&time=1").body()).contains("[1,\"NaN\"]");
        assertThat(server.get("/api/v1/query?query=-Inf&time=1").body()).contains("[1,\"-Inf\"]");
        assertThat(server.get("/api/v1/query?query=0.1%2B0.2&time=1").body()).contains("\"0.30000000000000004\"");
        assertThat(server.get("/api/v1/query?query=1e21&time=1").body()).contains("\"1000000000000000000000\"");
    }

    @Test
    void query_noTime_evaluatedNow() {
        Response response = server.get("/api/v1/query?query=time()");

        assertThat(response.json().at("/data/result/1").asText()).isEqualTo(Long.toString(ApiTestServer.NOW_MILLIS
                / 1000));
    }

    @Test
    void query_rfc3339Time_parsed() {
        Response response = server.get("/api/v1/query?query=time()&time=2015-07-01T20:10:51.781%2B02:00");

        assertThat(response.json().at("/data/result/1").asText()).isEqualTo("1435774251.781");
    }

    @Test
    void query_plusInUrl_readAsSpace() {
        Response response = server.get("/api/v1/query?query=1+%2B+1&time=1");

        assertThat(response.body()).contains("\"result\":[1,\"2\"]");
    }

    @Test
    void query_post_formBodyBeforeUrlParameters() {
        Response response = server.post("/api/v1/query?query=2&time=7", "query=1%2B1&time=9");

        assertThat(response.body()).contains("\"result\":[9,\"2\"]");
    }

    @Test
    void query_limit_truncatedWithWarning() {
        Response response = server.get(query("{__name__=~\"http_server_request_duration_seconds_bucket\"}")
                + "&limit=2");

        assertThat(response.json().at("/data/result")).hasSize(2);
        assertThat(response.json().at("/warnings/0").asText()).isEqualTo("results truncated due to limit");
    }

    @Test
    void query_infoAnnotation_inInfos() {
        Response response = server.get(query("rate(system_memory_usage_bytes[2m])"));

        assertThat(response.json().at("/infos/0").asText()).startsWith("PromQL info: metric might not be a counter");
        assertThat(response.json().has("warnings")).isFalse();
    }

    @Test
    void queryRange_rate_matrixAtEachStep() {
        Response response = server.get("/api/v1/query_range?query="
                + encode("sum by (job) (rate(http_server_requests_total[2m]))") + "&start=" + T0_SECONDS
                + "&end=" + (T0_SECONDS + 120) + "&step=60");

        GoldenFiles.assertMatches("query_range", response.body());
    }

    @Test
    void queryRange_durationStepAndRfc3339_sameAsSeconds() {
        String seconds = server.get("/api/v1/query_range?query=queue_depth&start=" + T0_SECONDS + "&end="
                + (T0_SECONDS + 120) + "&step=60").body();
        String formatted = server.get("/api/v1/query_range?query=queue_depth&start=2024-05-01T12:00:00Z"
                + "&end=2024-05-01T12:02:00.000Z&step=1m").body();

        assertThat(formatted).isEqualTo(seconds).contains("\"values\":[[" + T0_SECONDS + ",\"0\"],");
    }

    @Test
    void queryRange_fractionalStep_threeDecimalTimes() {
        Response response = server.get("/api/v1/query_range?query=1&start=0&end=5&step=1.5");

        assertThat(response.body()).contains("\"values\":[[0,\"1\"],[1.500,\"1\"],[3,\"1\"],[4.500,\"1\"]]");
    }

    @Test
    void queryRange_acceptsGzip_compressedAnswer() {
        Response response = server.execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.GET,
                "/api/v1/query_range?query=vector(1)&start=0&end=3600&step=1").set(HttpHeaderNames.ACCEPT_ENCODING,
                "gzip").build()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentEncoding()).isEqualTo("gzip");
    }

    @Test
    void query_selfMetrics_recordedPerEndpoint() {
        long before = server.requestCount("query");
        server.get(query("up"));
        server.get("/api/v1/query?query=sum(");

        assertThat(server.requestCount("query")).isEqualTo(before + 2);
        assertThat(server.errorCount("query", "bad_data")).isGreaterThanOrEqualTo(1);
    }

    private static String query(String promql) {
        return "/api/v1/query?query=" + encode(promql) + "&time=" + (ApiTestServer.NOW_MILLIS / 1000);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
