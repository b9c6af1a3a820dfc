package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP/JSON metrics example ({@code ../shared/testdata/otlp/metrics.json}) posted to {@code /v1/metrics} and read
 * back through the Prometheus API on the query port, from embedded storage: the OpenTelemetry to Prometheus mapping
 * end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusApiEndToEndTest {

    /** The example's points are stamped 2018-12-13T14:51:00.3Z. */
    private static final String AT = "&time=1544712660.3";

    @TempDir
    static Path dataDirectory;

    private OtelServices server;
    private WebClient query;

    @BeforeAll
    void startAndLoad() throws Exception {
        server = TestServers.start(dataDirectory);
        query = TestServers.query(server.ports());
        WebClient otlp = WebClient.of("http://127.0.0.1:" + server.ports().otlpHttp());
        AggregatedHttpResponse response = TestServers.post(otlp, "/v1/metrics", MediaType.JSON,
                Files.readAllBytes(TestData.otlp("metrics.json")));
        assertThat(response.status()).as(response.contentUtf8()).isEqualTo(HttpStatus.OK);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void query_deltaCounter_totalWithJobAndScopeLabels() {
        JsonNode result = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestServers.getJson(query, "/api/v1/query?query=my_counter_total" + AT).at("/data/result"),
                r -> r.size() == 1);
        JsonNode metric = result.get(0).get("metric");
        assertThat(metric.get("job").asText()).isEqualTo("my.service");
        assertThat(metric.get("otel_scope_name").asText()).isEqualTo("my.library");
        assertThat(metric.get("otel_scope_version").asText()).isEqualTo("1.0.0");
        assertThat(metric.has("my_counter_attr")).isTrue();
        assertThat(result.get(0).at("/value/1").asText()).isEqualTo("5");
    }

    @Test
    void query_gaugeAndHistogram_translatedNames() {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestServers.getJson(query,
                "/api/v1/query?query=my_gauge_ratio" + AT).at("/data/result").size() == 1);
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_gauge_ratio" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("10");
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_histogram_bucket%7Ble%3D%22%2BInf%22%7D" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("2");
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_histogram_count" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("2");
    }

    @Test
    void labelValues_metricNames_exponentialHistogramLeftOut() {
        JsonNode names = await().atMost(Duration.ofSeconds(20)).until(() -> TestServers.getJson(query,
                "/api/v1/label/__name__/values?start=1544712600&end=1544712720").get("data"), n -> n.size() > 0);
        assertThat(names.toString()).isEqualTo("[\"my_counter_total\",\"my_gauge_ratio\",\"my_histogram_bucket\","
                + "\"my_histogram_count\",\"my_histogram_sum\",\"target_info\"]");
    }

    @Test
    void restApi_stillServedBesideIt() {
        assertThat(query.get("/api/v1/status/buildinfo").aggregate().join().status()).isEqualTo(HttpStatus.OK);
        assertThat(query.get("/api/v1/dependencies").aggregate().join().status()).isEqualTo(HttpStatus.OK);
    }
}
