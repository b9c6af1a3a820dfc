package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueryMetricsTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void meters_registeredUpFront_forEveryQueryType() {
        for (String type : new String[] {"traces", "trace", "metrics", "logs", "service_stats", "dependencies"}) {
            assertThat(server.errorCount(type)).as(type).isGreaterThanOrEqualTo(0);
            assertThat(server.queryCount(type)).as(type).isGreaterThanOrEqualTo(0);
        }
        assertThat(server.meters.getMeters()).extracting(meter -> meter.getId().getName())
                .containsOnly(QueryMetrics.DURATION, QueryMetrics.ERRORS);
        assertThat(server.meters.find(QueryMetrics.DURATION).timers()).hasSize(6);
        assertThat(server.meters.find(QueryMetrics.DURATION).timer().getId().getType())
                .isEqualTo(Meter.Type.TIMER);
    }

    @Test
    void everyEndpoint_successAndFailure_counted() {
        assertCounted("traces", () -> server.post("/api/v1/traces", "{}"),
                () -> server.post("/api/v1/traces", "{\"limit\": 0}"));
        assertCounted("trace", () -> server.get("/api/v1/traces/" + Fixtures.TRACE_A),
                () -> server.get("/api/v1/traces/" + Fixtures.TRACE_B.replace('0', '1').replace('a', 'b')));
        assertCounted("metrics", () -> server.post("/api/v1/metrics", "{\"metric_name\": \"m\"}"),
                () -> server.post("/api/v1/metrics", "{}"));
        assertCounted("logs", () -> server.post("/api/v1/logs", "{}"),
                () -> server.get("/api/v1/logs"));
        assertCounted("service_stats", () -> server.get("/api/v1/services/stats"),
                () -> server.get("/api/v1/services/stats?x=1"));
        assertCounted("dependencies", () -> server.get("/api/v1/dependencies"),
                () -> server.get("/api/v1/dependencies?start_time=now"));
    }

    private static void assertCounted(String type, Runnable success, Runnable failure) {
        long queries = server.queryCount(type);
        double errors = server.errorCount(type);

        success.run();
        assertThat(server.queryCount(type)).as(type).isEqualTo(queries + 1);
        assertThat(server.errorCount(type)).as(type).isEqualTo(errors);

        failure.run();
        assertThat(server.queryCount(type)).as(type).isEqualTo(queries + 2);
        assertThat(server.errorCount(type)).as(type).isEqualTo(errors + 1);
    }
}
