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
 * The OTLP/JSON examples of the OpenTelemetry protocol repository ({@code ../shared/testdata/otlp}) posted to
 * {@code /v1/*} and read back through the REST API, and the metrics through the Prometheus API (the OpenTelemetry to
 * Prometheus mapping end to end, over embedded storage).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedTestDataEndToEndTest {

    /** All examples are stamped 2018-12-13T14:51:00Z and a fraction. */
    private static final String RANGE =
            "\"start_time\":\"2018-12-13T14:50:00Z\",\"end_time\":\"2018-12-13T14:52:00Z\"";

    @TempDir
    static Path dataDirectory; // static: instance @TempDir fields are not yet set in @BeforeAll

    private OtelServices server;
    private WebClient query;

    @BeforeAll
    void startAndLoad() throws Exception {
        server = TestServers.start(dataDirectory);
        query = TestServers.query(server.ports());
        WebClient otlp = WebClient.of("http://127.0.0.1:" + server.ports().otlpHttp());
        for (String[] file : new String[][] {
                {"trace.json", "/v1/traces"}, {"logs.json", "/v1/logs"}, {"events.json", "/v1/logs"},
                {"metrics.json", "/v1/metrics"}}) {
            AggregatedHttpResponse response = TestServers.post(otlp, file[1], MediaType.JSON,
                    Files.readAllBytes(TestData.otlp(file[0])));
            assertThat(response.status()).as("%s: %s", file[0], response.contentUtf8()).isEqualTo(HttpStatus.OK);
            // A full success carries no partial_success (or an empty one).
            JsonNode body = TestServers.JSON.readTree(response.contentUtf8().isEmpty() ? "{}" : response.contentUtf8());
            assertThat(body.path("partialSuccess").path("rejectedSpans").asLong(0)).isZero();
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void traceJson_readBackById_everyField() {
        JsonNode trace = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestServers.getJsonOrNull(query, "/api/v1/traces/5B8EFFF798038103D269B633813FC60C"),
                t -> t != null);
        assertThat(trace.get("trace_id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        JsonNode span = trace.get("spans").get(0);
        assertThat(span.get("span_id").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(span.get("parent_span_id").asText()).isEqualTo("eee19b7ec3c1b173");
        assertThat(span.get("name").asText()).isEqualTo("I'm a server span");
        assertThat(span.get("kind").asText()).isEqualTo("Server");
        assertThat(span.get("service_name").asText()).isEqualTo("my.service");
        assertThat(span.get("start_time").asText()).isEqualTo("2018-12-13T14:51:00.000000000Z");
        assertThat(span.get("start_time_unix_nano").asText()).isEqualTo("1544712660000000000");
        assertThat(span.get("duration_ns").asLong()).isEqualTo(1_000_000_000L);
        assertThat(span.get("status_code").asText()).isEqualTo("Unset");
        assertThat(span.get("attributes").get("my.span.attr").asText()).isEqualTo("some value");
        assertThat(span.get("scope").get("name").asText()).isEqualTo("my.library");
        assertThat(span.get("scope").get("version").asText()).isEqualTo("1.0.0");
        assertThat(span.get("scope").get("attributes").get("my.scope.attribute").asText())
                .isEqualTo("some scope attribute");
        assertThat(span.get("resource").get("attributes").get("service.name").asText()).isEqualTo("my.service");

        JsonNode found = TestServers.postJson(query, "/api/v1/traces",
                "{\"service_name\":\"my.service\"," + RANGE + "}");
        assertThat(found.get("traces")).hasSize(1);
        assertThat(found.get("traces").get(0).get("duration_ns").asLong()).isEqualTo(1_000_000_000L);
    }

    @Test
    void logsAndEventsJson_readBack_withBodiesOfAnyType() throws Exception {
        JsonNode logs = await().atMost(Duration.ofSeconds(20)).until(() -> TestServers.postJson(query,
                "/api/v1/logs", "{\"service_name\":\"my.service\"," + RANGE + "}"), r -> r.get("logs").size() == 2);
        JsonNode record = null;
        JsonNode event = null;
        for (JsonNode log : logs.get("logs")) {
            if (log.get("event_name").asText().isEmpty()) {
                record = log;
            } else {
                event = log;
            }
        }
        assertThat(record).isNotNull();
        assertThat(record.get("body").asText()).isEqualTo("Example log record");
        assertThat(record.get("severity_number").asInt()).isEqualTo(10);
        assertThat(record.get("severity_text").asText()).isEqualTo("Information");
        assertThat(record.get("trace_id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(record.get("span_id").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(record.get("attributes").get("string.attribute").asText()).isEqualTo("some string");
        assertThat(record.get("attributes").get("boolean.attribute").asText()).isEqualTo("true");
        assertThat(record.get("attributes").get("int.attribute").asText()).isEqualTo("10");
        assertThat(TestServers.JSON.readTree(record.get("attributes").get("array.attribute").asText()))
                .isEqualTo(TestServers.JSON.readTree("[\"many\",\"values\"]"));

        assertThat(event).isNotNull();
        assertThat(event.get("event_name").asText()).isEqualTo("browser.page_view");
        JsonNode body = TestServers.JSON.readTree(event.get("body").asText());
        assertThat(body.get("type").asInt()).isZero();
        assertThat(body.get("title").asText()).isEqualTo("Free Online GUID Generator");

        JsonNode bySearch = TestServers.postJson(query, "/api/v1/logs",
                "{\"search_text\":\"EXAMPLE LOG\",\"severity\":\"INFO\"," + RANGE + "}");
        assertThat(bySearch.get("logs")).hasSize(1);
    }

    @Test
    void metricsJson_everyPointTypeQueryable() {
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("my.counter", "sum"), v -> v != null && v == 5.0);
        assertThat(metric("my.gauge", "max")).isEqualTo(10.0);
        assertThat(metric("my.histogram", "count")).isEqualTo(2.0);
        assertThat(metric("my.histogram", "sum")).isEqualTo(2.0);
        assertThat(metric("my.exponential.histogram", "count")).isEqualTo(3.0);
        assertThat(metric("my.exponential.histogram", "sum")).isEqualTo(10.0);
    }

    /** The metrics example's points are stamped 2018-12-13T14:51:00.3Z. */
    private static final String AT = "&time=1544712660.3";

    @Test
    void metricsJson_prometheusApi_deltaCounterWithJobAndScopeLabels() {
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
    void metricsJson_prometheusApi_gaugeAndHistogramNames() {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestServers.getJson(query,
                "/api/v1/query?query=my_gauge_ratio" + AT).at("/data/result").size() == 1);
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_gauge_ratio" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("10");
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_histogram_bucket%7Ble%3D%22%2BInf%22%7D" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("2");
        assertThat(TestServers.getJson(query, "/api/v1/query?query=my_histogram_count" + AT)
                .at("/data/result/0/value/1").asText()).isEqualTo("2");
        JsonNode names = TestServers.getJson(query, "/api/v1/label/__name__/values?start=1544712600&end=1544712720")
                .get("data");
        // The exponential histogram is not exposed (yet); target_info is listed whenever any metric is.
        assertThat(names.toString()).isEqualTo("[\"my_counter_total\",\"my_gauge_ratio\",\"my_histogram_bucket\","
                + "\"my_histogram_count\",\"my_histogram_sum\",\"target_info\"]");
    }

    private Double metric(String name, String aggregation) {
        JsonNode result = TestServers.postJson(query, "/api/v1/metrics", "{\"metric_name\":\"" + name
                + "\",\"aggregation\":\"" + aggregation + "\",\"step\":\"60s\"," + RANGE + "}");
        if (result.get("series").isEmpty()) {
            return null;
        }
        JsonNode points = result.get("series").get(0).get("points");
        assertThat(points).hasSize(1);
        assertThat(points.get(0).get(0).asText()).isEqualTo("2018-12-13T14:51:00.000000000Z");
        return points.get(0).get(1).asDouble();
    }
}
