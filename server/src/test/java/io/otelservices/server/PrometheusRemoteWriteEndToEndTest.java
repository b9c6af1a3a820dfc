package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.TimeRange;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's 2.4x, remote write 1.0) scrapes a small target every second and remote-writes what it
 * scrapes to our {@code /api/v1/write}; the series must reach storage with the OpenTelemetry mapping: {@code job}
 * and {@code instance} on the resource, other labels as attributes, counters as sums once Prometheus has sent
 * their metadata. Skipped, saying how to get Prometheus, where none can be found or unpacked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRemoteWriteEndToEndTest {

    /** The target's exposition: one counter and one gauge, in the Prometheus text format. */
    private static final String EXPOSITION = """
            # HELP e2e_jobs_processed_total Jobs processed.
            # TYPE e2e_jobs_processed_total counter
            e2e_jobs_processed_total{queue="emails"} 42
            # HELP e2e_queue_depth Jobs waiting.
            # TYPE e2e_queue_depth gauge
            e2e_queue_depth{queue="emails"} 7
            """;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path directory; // static: instance @TempDir fields are not yet set in @BeforeAll

    private OtelServices server;
    private Server target;
    private Process prometheus;
    private Path prometheusLog;
    private String instance;
    private int prometheusPort;

    @BeforeAll
    void start() throws Exception {
        PrometheusBinary.Located binary = PrometheusBinary.locate();
        Assumptions.assumeTrue(binary.found(), binary.problem());

        server = TestServers.start(directory.resolve("data"));
        target = Server.builder().http(0)
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), EXPOSITION))
                .build();
        target.start().join();
        instance = "127.0.0.1:" + target.activeLocalPort();

        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: shop/target
                    static_configs:
                      - targets: ['%s']
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/write
                    queue_config:
                      batch_send_deadline: 1s
                      min_backoff: 100ms
                      max_backoff: 1s
                    metadata_config:
                      send: true
                      send_interval: 1s
                """.formatted(instance, server.ports().otlpHttp()), StandardCharsets.UTF_8);
        prometheusLog = directory.resolve("prometheus.log");
        prometheusPort = freePort();
        prometheus = new ProcessBuilder(binary.binary().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(prometheusLog.toFile())
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy(); // SIGTERM: Prometheus shuts down cleanly
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (target != null) {
            target.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private List<MetricSeries> series(String metricName) {
        long now = System.currentTimeMillis() * 1_000_000;
        TimeRange lastHour = new TimeRange(now - Duration.ofHours(1).toNanos(), now + Duration.ofMinutes(1).toNanos());
        return server.storage().series().select(new SeriesQuery(metricName, null, List.of(), lastHour, 100, null))
                .join();
    }

    /** The series of {@code metricName} and {@code type} in storage, waiting until one has points. */
    private MetricSeries awaitSeries(String metricName, MetricType type) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .failFast("prometheus exited", () -> !prometheus.isAlive())
                .until(() -> series(metricName).stream()
                        .filter(s -> s.type() == type && !s.points().isEmpty())
                        .findFirst().orElse(null), s -> s != null);
    }

    private static double value(SeriesPoint point) {
        return point.value() instanceof MetricValue.Sum sum ? sum.value() : ((MetricValue.Gauge) point.value()).value();
    }

    private String prometheusOutput() throws IOException {
        return Files.exists(prometheusLog) ? Files.readString(prometheusLog) : "";
    }

    @Test
    void scrapedSeries_remoteWritten_storedWithTheOpenTelemetryMapping() throws Exception {
        Map<String, String> resource = Map.of("service.namespace", "shop", "service.name", "target",
                "service.instance.id", instance);
        try {
            MetricSeries up = awaitSeries("up", MetricType.GAUGE);
            assertThat(up.resourceAttributes()).isEqualTo(resource);
            assertThat(up.serviceName()).isEqualTo("target");
            assertThat(up.attributes()).isEmpty();
            assertThat(up.points()).allSatisfy(point -> assertThat(value(point)).isEqualTo(1.0));

            MetricSeries depth = awaitSeries("e2e_queue_depth", MetricType.GAUGE);
            assertThat(depth.resourceAttributes()).isEqualTo(resource);
            assertThat(depth.attributes()).isEqualTo(Map.of("queue", "emails"));
            assertThat(depth.points()).allSatisfy(point -> assertThat(value(point)).isEqualTo(7.0));

            // Prometheus sends metadata in requests of its own (here every second): once it has arrived, the
            // counter's samples are monotonic cumulative sums with its help text.
            MetricSeries jobs = awaitSeries("e2e_jobs_processed_total", MetricType.SUM);
            assertThat(jobs.resourceAttributes()).isEqualTo(resource);
            assertThat(jobs.attributes()).isEqualTo(Map.of("queue", "emails"));
            assertThat(jobs.metricDescription()).isEqualTo("Jobs processed.");
            assertThat(jobs.points()).allSatisfy(point -> {
                assertThat(point.value()).isInstanceOf(MetricValue.Sum.class);
                assertThat(((MetricValue.Sum) point.value()).monotonic()).isTrue();
                assertThat(value(point)).isEqualTo(42.0);
            });
            assertThat(server.meters().find("otel.remote_write.requests").tags("status", "400").counters())
                    .as("no request refused").isEmpty();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nprometheus output:\n" + prometheusOutput(), e);
        }
    }

    /**
     * What Prometheus scraped and remote-wrote, asked of Prometheus' own HTTP API and of ours: the same series, labels
     * and values (the two mappings, Prometheus to OTLP on the way in and back on the way out, are inverses).
     */
    @Test
    void remoteWrittenSeries_prometheusApi_sameAnswersAsPrometheus() throws Exception {
        WebClient ours = TestServers.query(server.ports());
        WebClient theirs = WebClient.of("http://127.0.0.1:" + prometheusPort);
        try {
            awaitSeries("e2e_jobs_processed_total", MetricType.SUM);
            // Values are constant, so both answer alike once each holds a sample within the lookback.
            long at = System.currentTimeMillis() / 1000;
            for (String query : List.of("e2e_jobs_processed_total", "e2e_queue_depth", "up",
                    "sum by (job) (e2e_queue_depth)")) {
                String path = "/api/v1/query?time=" + at + "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
                JsonNode expected = TestServers.getJson(theirs, path).get("data");
                assertThat(expected.get("result")).as(query).isNotEmpty();
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(TestServers.getJson(ours, path).get("data"))
                        .as(query).isEqualTo(expected));
            }
            String series = "/api/v1/series?start=" + (at - 3) + "&end=" + at + "&match[]="
                    + URLEncoder.encode("{job=\"shop/target\", __name__=~\"e2e_.*|up\"}", StandardCharsets.UTF_8);
            JsonNode expectedSeries = TestServers.getJson(theirs, series).get("data");
            assertThat(expectedSeries).hasSize(3);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(TestServers.getJson(ours, series).get("data"))
                    .isEqualTo(expectedSeries));
            String values = "/api/v1/label/queue/values?start=" + (at - 3) + "&end=" + at;
            assertThat(TestServers.getJson(ours, values)).isEqualTo(TestServers.getJson(theirs, values));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nprometheus output:\n" + prometheusOutput(), e);
        }
    }
}
