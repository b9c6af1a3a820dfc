package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health}, {@code /ready} and {@code /metrics} of the all-in-one process. */
class OperationsEndpointsTest {

    @TempDir
    Path dataDirectory;

    private static AggregatedHttpResponse get(int port, String path) {
        return WebClient.of("http://127.0.0.1:" + port).get(path).aggregate().join();
    }

    @Test
    void healthAndReady_onCollectorAndQueryPorts_answer200() {
        try (OtelServices server = TestServers.start(dataDirectory)) {
            for (int port : new int[] {server.ports().collectorHttp(), server.ports().query()}) {
                assertThat(get(port, "/health").status()).isEqualTo(HttpStatus.OK);
                AggregatedHttpResponse ready = get(port, "/ready");
                assertThat(ready.status()).as(ready.contentUtf8()).isEqualTo(HttpStatus.OK);
                assertThat(ready.contentUtf8()).contains("READY");
            }
        }
    }

    @Test
    void coldTierUnreachableAtStart_serverStartsReady_andExposesColdBlockGauges() throws IOException {
        ServerConfig base = TestServers.config(dataDirectory, Duration.ofMillis(50));
        ServerConfig.DuckDb db = base.duckDb();
        ServerConfig.Cold cold = new ServerConfig.Cold(Duration.ofDays(7), "http://127.0.0.1:" + closedPort(),
                "us-east-1", "telemetry", "", "access", "secret", dataDirectory.resolve("cold-cache"), 1 << 20);
        ServerConfig config = new ServerConfig(base.mode(), base.dataDirectory(), base.logLevel(), base.ports(),
                base.ingest(), new ServerConfig.DuckDb(db.memoryLimit(), db.readerThreads(), db.traceRetention(),
                        db.logRetention(), db.metricRetention(), db.sealGrace(), db.maintenanceInterval(), cold),
                base.clickHouse());

        try (OtelServices server = OtelServices.start(config, Clock.systemUTC())) {
            AggregatedHttpResponse ready = get(server.ports().query(), "/ready");
            assertThat(ready.status()).as(ready.contentUtf8()).isEqualTo(HttpStatus.OK);
            assertThat(get(server.ports().metrics(), "/metrics").contentUtf8())
                    .contains("otel_storage_cold_blocks{table=\"otel_traces\"} 0.0")
                    .contains("otel_storage_cold_block_bytes{table=\"otel_logs\"} 0.0");
        }
    }

    /** A port nobody listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void metrics_afterIngestAndQueries_exposeSeedNames() throws Exception {
        try (OtelServices server = TestServers.start(dataDirectory)) {
            byte[] trace = Files.readAllBytes(TestData.otlp("trace.json"));
            AggregatedHttpResponse accepted = TestServers.post(WebClient.of("http://127.0.0.1:"
                    + server.ports().otlpHttp()), "/v1/traces", MediaType.JSON, trace);
            assertThat(accepted.status()).isEqualTo(HttpStatus.OK);
            WebClient query = TestServers.query(server.ports());
            await().atMost(Duration.ofSeconds(20)).until(() -> TestServers.getJsonOrNull(query,
                    "/api/v1/traces/5b8efff798038103d269b633813fc60c") != null);
            // one failing query, so that the error counter exists
            assertThat(TestServers.post(query, "/api/v1/logs", MediaType.JSON_UTF_8,
                    "{\"limit\":0}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(HttpStatus.BAD_REQUEST);

            for (int port : new int[] {server.ports().metrics(), server.ports().queryMetrics()}) {
                AggregatedHttpResponse metrics = get(port, "/metrics");
                assertThat(metrics.status()).isEqualTo(HttpStatus.OK);
                assertThat(metrics.headers().contentType().toString()).startsWith("text/plain");
                assertThat(metrics.contentUtf8())
                        .contains("otel_received_spans_total")
                        .contains("otel_received_log_records_total")
                        .contains("otel_received_metric_points_total")
                        .contains("otel_storage_writes_total{")
                        .contains("otel_storage_write_duration_seconds")
                        .contains("otel_batch_size")
                        .contains("otel_memory_usage_bytes")
                        .contains("otel_queue_size")
                        .contains("otel_query_duration_seconds")
                        .contains("otel_query_errors_total")
                        .contains("query_type=\"logs\"")
                        .contains("jvm_memory_used_bytes");
            }
            String metrics = get(server.ports().metrics(), "/metrics").contentUtf8();
            assertThat(metrics).containsPattern("otel_received_spans_total(\\{[^}]*\\})? 1\\.0");
        }
    }
}
