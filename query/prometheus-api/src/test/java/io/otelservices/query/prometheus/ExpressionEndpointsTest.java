package io.otelservices.query.prometheus;

import static io.otelservices.query.prometheus.QueryApiTest.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.query.prometheus.ApiTestServer.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/v1/format_query}, {@code /api/v1/parse_query} and {@code /api/v1/query_exemplars}. */
class ExpressionEndpointsTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeAll
    static void load() {
        ApiFixtures.load(server.storage);
    }

    @Test
    void formatQuery_messyQuery_prometheusForm() {
        Response response = server.get("/api/v1/format_query?query=" + encode("sum(up)by(job)"));

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (up)\"}");
    }

    @Test
    void formatQuery_post_sameAsGet() {
        Response response = server.post("/api/v1/format_query",
                "query=" + encode("rate( http_requests_total{job=\"a\"} [5m] offset 1m )"));

        assertThat(response.json().get("data").asText())
                .isEqualTo("rate(http_requests_total{job=\"a\"}[5m] offset 1m)");
    }

    @Test
    void parseQuery_everyNodeType_prometheusAstJson() {
        String query = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m] offset 1m)) / on (job) "
                + "group_left (team) -(max_over_time(up[10m:1m] @ start())) > bool 0.5 "
                + "* topk(3, count_values(\"v\", up))";
        Response response = server.get("/api/v1/parse_query?query=" + encode(query));

        GoldenFiles.assertMatches("parse_query", response.body());
    }

    @Test
    void parseQuery_selectorAtTime_timestampInMilliseconds() {
        Response response = server.get("/api/v1/parse_query?query=" + encode("up{job=\"a\"} @ 1609746000"));

        assertThat(response.json().at("/data/timestamp").asLong()).isEqualTo(1609746000000L);
        assertThat(response.json().at("/data/matchers/1/name").asText()).isEqualTo("__name__");
    }

    @Test
    void queryExemplars_histogramExemplar_onItsBucket() {
        Response response = server.get("/api/v1/query_exemplars?query="
                + encode("histogram_quantile(0.9, rate(http_server_request_duration_seconds_bucket[5m]))"));

        GoldenFiles.assertMatches("query_exemplars", response.body());
    }

    @Test
    void queryExemplars_outsideRange_empty() {
        Response response = server.get("/api/v1/query_exemplars?query=http_server_request_duration_seconds_bucket"
                + "&start=0&end=10");

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void queryExemplars_noSelector_noContent() {
        Response response = server.get("/api/v1/query_exemplars?query=1%2B1");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }
}
