package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.MINUTE;
import static io.otelservices.query.rest.Fixtures.NOW_NANOS;
import static io.otelservices.query.rest.Fixtures.SECOND;
import static io.otelservices.query.rest.Fixtures.counter;
import static io.otelservices.query.rest.Fixtures.gauge;
import static io.otelservices.query.rest.Fixtures.point;
import static io.otelservices.query.rest.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otelservices.model.MetricType;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.TimeRange;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricQueryTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    private static final String RATE_BY_SERVICE = """
            {"metric_name": "http.server.request.count", "aggregation": "rate",
             "start_time": "2024-05-01T11:50:00Z", "end_time": "2024-05-01T12:00:00Z", "step": "5m",
             "group_by": ["service.name"]}
            """;

    @BeforeEach
    void loadSeries() {
        server.loadFixtures();
        // Counters sampled every minute from 11:45 to 11:59: /checkout +60/min, /home +30/min, /charge +6/min.
        server.storage.series.add(counterSeries("frontend", "/checkout", 60));
        server.storage.series.add(counterSeries("frontend", "/home", 30));
        server.storage.series.add(counterSeries("payments", "/charge", 6));
        server.storage.series.add(series(MetricType.GAUGE, "process.cpu.utilization", "frontend",
                Map.of("cpu", "0"),
                point(NOW_NANOS - 50 * MINUTE, gauge(0.25)), point(NOW_NANOS - 40 * MINUTE, gauge(0.75)),
                point(NOW_NANOS - 10 * MINUTE, gauge(0.5))));
    }

    private static io.otelservices.storage.MetricSeries counterSeries(String service, String route, int perMinute) {
        SeriesPoint[] points = new SeriesPoint[15];
        for (int i = 0; i < points.length; i++) {
            points[i] = point(NOW_NANOS - 15 * MINUTE, NOW_NANOS - (15 - i) * MINUTE, counter(1000 + i * perMinute));
        }
        return series(MetricType.SUM, "http.server.request.count", service, Map.of("http.route", route), points);
    }

    @Test
    void query_rateGroupedByService_perSecondIncrease() {
        ApiTestServer.Response response = server.post("/api/v1/metrics", RATE_BY_SERVICE);

        assertThat(response.status()).isEqualTo(200);
        GoldenFiles.assertMatches("metrics_rate_by_service", response.body());
        SeriesQuery query = server.storage.lastSeriesQuery;
        // rate reaches one step back for the first bucket's baseline
        assertThat(query.range()).isEqualTo(new TimeRange(NOW_NANOS - 15 * MINUTE, NOW_NANOS));
        assertThat(query.maxSeries()).isEqualTo(10_000);
        assertThat(query.hints().stepNanos()).isEqualTo(5 * MINUTE);
        assertThat(query.hints().function()).isEqualTo("rate");
    }

    @Test
    void query_defaults_avgOverLastHourWithStep30s() {
        ApiTestServer.Response response = server.post("/api/v1/metrics",
                "{\"metric_name\": \"process.cpu.utilization\"}");

        JsonNode body = response.json();
        assertThat(body.path("aggregation").asText()).isEqualTo("avg");
        assertThat(body.path("step_seconds").asLong()).isEqualTo(30);
        assertThat(body.path("series")).hasSize(1);
        assertThat(body.path("series").path(0).path("labels")).isEmpty();
        JsonNode points = body.path("series").path(0).path("points");
        assertThat(points).hasSize(3);
        assertThat(points.path(0).path(0).asText()).isEqualTo("2024-05-01T11:10:00.000000000Z");
        assertThat(points.path(0).path(1).asDouble()).isEqualTo(0.25);
        assertThat(points.path(2).path(0).asText()).isEqualTo("2024-05-01T11:50:00.000000000Z");
        SeriesQuery query = server.storage.lastSeriesQuery;
        assertThat(query.range()).isEqualTo(new TimeRange(NOW_NANOS - 60 * MINUTE, NOW_NANOS));
        assertThat(query.hints().function()).isEqualTo("avg");
    }

    @Test
    void query_filters_passedToStorage() {
        server.post("/api/v1/metrics", """
                {"metric_name": "http.server.request.count", "service_name": "frontend",
                 "attributes": {"http.route": "/home"}, "aggregation": "MAX"}
                """);

        SeriesQuery query = server.storage.lastSeriesQuery;
        assertThat(query.metricName()).isEqualTo("http.server.request.count");
        assertThat(query.serviceName()).isEqualTo("frontend");
        assertThat(query.attributes()).containsExactly(new AttributeFilter("http.route", "/home"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "5m"    | 300
            300     | 300
            "300"   | 300
            "1h30m" | 5400
            "1.5s"  | 1.5
            2.5     | 2.5
            """)
    void query_stepForms_understood(String step, double seconds) {
        ApiTestServer.Response response = server.post("/api/v1/metrics",
                "{\"metric_name\": \"process.cpu.utilization\", \"step\": " + step + "}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("step_seconds").asDouble()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                        | metric_name: missing (expected: the name of a metric)
            {"metric_name": ""}                                       | metric_name: missing (expected: the name of a metric)
            {"metric_name": "m", "aggregation": "median"}             | aggregation: "median" is unknown (expected: one of avg, sum, min, max, count, rate, p50, p90, p95, p99)
            {"metric_name": "m", "step": "fast"}                      | step: "fast": missing or malformed number at offset 0 (expected: a duration such as 30s, 5m or 1h, or a number of seconds)
            {"metric_name": "m", "step": 0}                           | step: 0 is out of range (expected: a duration such as 30s, 5m or 1h, or a number of seconds)
            {"metric_name": "m", "step": "-5m"}                       | step: "-5m" is out of range (expected: a duration such as 30s, 5m or 1h, or a number of seconds)
            {"metric_name": "m", "step": "500ms"}                     | step: 0.5s is too small (expected: at least 1s)
            {"metric_name": "m", "step": true}                        | step: true (expected: a duration such as 30s, 5m or 1h, or a number of seconds)
            {"metric_name": "m", "step": "1s", "start_time": "2024-05-01T08:00:00Z"} | step: 1s gives 14400 points per series (expected: at most 11000 points per series: a larger step or a shorter range)
            {"metric_name": "m", "group_by": "service.name"}          | group_by: "service.name" (expected: an array of distinct non-empty strings)
            {"metric_name": "m", "group_by": ["a", "a"]}              | group_by: ["a","a"] (expected: an array of distinct non-empty strings)
            {"metric_name": "m", "group_by": [1]}                     | group_by: [1] (expected: an array of distinct non-empty strings)
            {"metric_name": "m", "labels": {}}                        | labels: unknown field (expected: one of metric_name, service_name, attributes, start_time, end_time, step, aggregation, group_by)
            """)
    void query_invalidField_returns400NamingIt(String body, String error) {
        ApiTestServer.Response response = server.post("/api/v1/metrics", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void query_exactly11000Points_accepted() {
        ApiTestServer.Response response = server.post("/api/v1/metrics", """
                {"metric_name": "m", "step": 1, "start_time": "2024-05-01T08:56:40Z"}
                """);

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void query_tooManySeriesInStorage_returns422() {
        server.storage.failure = new QueryLimitExceededException("10001 series match (expected: at most 10000)");

        ApiTestServer.Response response = server.post("/api/v1/metrics", "{\"metric_name\": \"m\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.error())
                .isEqualTo("query limit exceeded: 10001 series match (expected: at most 10000)");
    }

    @Test
    void query_tooManySeriesFromFake_returns422() {
        for (int i = 0; i <= MetricService.MAX_SERIES; i++) {
            server.storage.series.add(series(MetricType.GAUGE, "many", Map.of("i", Integer.toString(i)),
                    point(NOW_NANOS - SECOND, gauge(i))));
        }

        ApiTestServer.Response response = server.post("/api/v1/metrics", "{\"metric_name\": \"many\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.error()).startsWith("query limit exceeded: 10001 series match");
    }

    @Test
    void query_unknownMetric_returnsNoSeries() {
        JsonNode body = server.post("/api/v1/metrics", "{\"metric_name\": \"nope\", \"aggregation\": \"p99\"}")
                .json();

        assertThat(body.path("aggregation").asText()).isEqualTo("p99");
        assertThat(body.path("series")).isEmpty();
    }

    @Test
    void query_getMethod_returns405() {
        assertThat(server.get("/api/v1/metrics").status()).isEqualTo(405);
    }
}
