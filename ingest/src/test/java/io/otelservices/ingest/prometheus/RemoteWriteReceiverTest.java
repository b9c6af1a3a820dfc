package io.otelservices.ingest.prometheus;

import static io.otelservices.ingest.prometheus.WriteRequests.labels;
import static io.otelservices.ingest.prometheus.WriteRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.prometheus.WriteRequests.TestExemplar;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver behind a real Armeria server and ingest pipeline, driven over a socket by Armeria's WebClient. */
class RemoteWriteReceiverTest {

    private static final long MAX_REQUEST_BYTES = 64 * 1024;
    private static final String PROTOBUF = "application/x-protobuf";

    @TempDir
    Path dir;

    private RecordingBatchWriter writer;
    private SimpleMeterRegistry meters;
    private IngestPipeline pipeline;
    private Server server;
    private WebClient client;

    @BeforeEach
    void start() throws Exception {
        start(new RecordingBatchWriter(), 200_000);
    }

    private void start(RecordingBatchWriter batchWriter, int maxQueuedItems) throws Exception {
        writer = batchWriter;
        meters = new SimpleMeterRegistry();
        IngestConfig config = IngestConfig.defaults(dir.resolve("wal-" + System.nanoTime()))
                .withMaxRequestBytes(MAX_REQUEST_BYTES)
                .withBatch(1000, Duration.ofMillis(20))
                .withMaxQueuedItems(maxQueuedItems);
        pipeline = IngestPipeline.open(config, writer, meters);
        ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .blockingTaskExecutor(Executors.newScheduledThreadPool(2), true);
        RemoteWriteReceiver.addTo(sb, pipeline, config, new RemoteWriteConfig(1000, 100));
        server = sb.build();
        server.start().join();
        client = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        server.stop();
        pipeline.close(Duration.ofSeconds(2));
    }

    private AggregatedHttpResponse post(byte[] body) {
        return post(PROTOBUF, "snappy", body);
    }

    private AggregatedHttpResponse post(String contentType, String encoding, byte[] body) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, RemoteWriteReceiver.PATH)
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set("X-Prometheus-Remote-Write-Version", "0.1.0");
        if (encoding != null) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        }
        return client.execute(headers.build(), HttpData.wrap(body)).aggregate().join();
    }

    /** Waits until storage holds {@code count} points, and checks that no more arrive. */
    private List<MetricPoint> awaitStored(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.metricPoints().size() >= count);
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(writer.metricPoints()).hasSize(count);
        return writer.metricPoints();
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }

    private static MetricPoint named(List<MetricPoint> points, String name) {
        return points.stream().filter(p -> p.metricName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void post_countersGaugesExemplarsAndStaleMarkers_204_storedWithTheMapping() {
        double staleNaN = Double.longBitsToDouble(WriteRequestConverter.STALE_NAN_BITS);
        TestExemplar exemplar = new TestExemplar(labels("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "span_id", "00f067aa0ba902b7", "route", "/pay"), 0.042, 1_700_000_000_000L);
        byte[] body = new WriteRequests()
                .metadata(WriteRequests.COUNTER, "http_requests_total", "Requests served.", "")
                .metadata(WriteRequests.GAUGE, "queue_length", "Queued jobs.", "")
                .series(labels("__name__", "http_requests_total", "job", "shop/checkout", "instance", "10.0.0.1:8080",
                        "code", "200"), List.of(sample(1_700_000_000_000L, 41)), List.of(exemplar), 0)
                .series(labels("__name__", "queue_length", "job", "worker", "instance", "w1:9000"),
                        sample(1_700_000_000_000L, 3), sample(1_700_000_015_000L, staleNaN))
                .body();

        AggregatedHttpResponse response = post(body);

        assertThat(response.status()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(response.content().isEmpty()).isTrue();
        List<MetricPoint> points = awaitStored(3);
        MetricPoint counter = named(points, "http_requests_total");
        assertThat(counter.value()).isEqualTo(new MetricValue.Sum(41, AggregationTemporality.CUMULATIVE, true));
        assertThat(counter.metricMetadata()).containsExactly(Map.entry("prometheus.type", "counter"));
        assertThat(counter.metricDescription()).isEqualTo("Requests served.");
        assertThat(counter.resource().attributes()).containsOnly(Map.entry("service.namespace", "shop"),
                Map.entry("service.name", "checkout"), Map.entry("service.instance.id", "10.0.0.1:8080"));
        assertThat(counter.attributes()).containsExactly(Map.entry("code", "200"));
        assertThat(counter.exemplars()).containsExactly(new Exemplar(1_700_000_000_000_000_000L, 0.042,
                "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", Map.of("route", "/pay")));
        List<MetricPoint> queue = points.stream().filter(p -> p.metricName().equals("queue_length")).toList();
        assertThat(queue).extracting(MetricPoint::serviceName).containsOnly("worker");
        assertThat(queue).extracting(p -> p.value().type().name()).containsOnly("GAUGE");
        assertThat(queue).extracting(p -> p.metricMetadata().get("prometheus.type")).containsOnly("gauge");
        assertThat(queue).extracting(MetricPoint::flags).containsExactly(0, MetricPoint.FLAG_NO_RECORDED_VALUE);
        assertThat(counter("otel.remote_write.samples.accepted")).isEqualTo(3);
        assertThat(counter("otel.received.metric.points")).isEqualTo(3);
        assertThat(counter("otel.remote_write.requests", "status", "204", "reason", "ok")).isEqualTo(1);
    }

    @Test
    void post_identicalRetry_204_storedOnce() {
        byte[] body = new WriteRequests().series(labels("__name__", "up", "job", "a"), sample(1000, 1)).body();

        assertThat(post(body).status()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(post(body).status()).isEqualTo(HttpStatus.NO_CONTENT);

        awaitStored(1);
        assertThat(counter("otel.remote_write.samples.duplicate")).isEqualTo(1);
    }

    @Test
    void post_outOfOrderAndDuplicateTimestamp_400PlainText_validSamplesStored_earlierKept() {
        assertThat(post(new WriteRequests().series(labels("__name__", "up", "job", "a"), sample(2000, 1)).body())
                .status()).isEqualTo(HttpStatus.NO_CONTENT);

        AggregatedHttpResponse response = post(new WriteRequests()
                .series(labels("__name__", "up", "job", "a"), sample(1000, 1))
                .series(labels("__name__", "up", "job", "a"), sample(2000, 5))
                .series(labels("__name__", "up", "job", "a"), sample(3000, 1))
                .series(labels("__name__", "other"), sample(1000, 1))
                .body());

        assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.contentType().toString()).startsWith("text/plain");
        assertThat(response.contentUtf8()).startsWith("2 of 4 samples rejected (the others were stored):\n")
                .contains("out of order sample: timestamp 1000 of series {__name__=\"up\", job=\"a\"}")
                .contains("duplicate sample for timestamp: 2000");
        List<MetricPoint> points = awaitStored(3);
        assertThat(points).extracting(p -> p.metricName() + "@" + p.timeNanos() / 1_000_000)
                .containsExactlyInAnyOrder("up@2000", "up@3000", "other@1000");
        assertThat(counter("otel.remote_write.samples.rejected", "reason", "out_of_order")).isEqualTo(1);
        assertThat(counter("otel.remote_write.samples.rejected", "reason", "duplicate_timestamp")).isEqualTo(1);
        assertThat(counter("otel.remote_write.requests", "status", "400", "reason", "rejected_samples")).isEqualTo(1);
    }

    @Test
    void post_missingNameInvalidOrDuplicateLabelNames_400_otherSeriesStored() {
        AggregatedHttpResponse response = post(new WriteRequests()
                .series(labels("job", "a"), sample(1000, 1))
                .series(labels("__name__", "x", "", "empty name"), sample(1000, 1))
                .series(labels("__name__", "x", "a", "1", "a", "2"), sample(1000, 1))
                .series(labels("__name__", "fine"), sample(1000, 1))
                .body());

        assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.contentUtf8()).contains("missing metric name (label __name__) in series {job=\"a\"}",
                "invalid label name: empty", "duplicate label name: a");
        assertThat(awaitStored(1).get(0).metricName()).isEqualTo("fine");
    }

    @Test
    void post_notStoredBecauseOverloaded_503WithRetryAfter_thenTheRetryIsStored() throws Exception {
        stop();
        RecordingBatchWriter held = new RecordingBatchWriter().hold();
        start(held, 1);
        assertThat(post(new WriteRequests().series(labels("__name__", "first"), sample(1000, 1)).body()).status())
                .isEqualTo(HttpStatus.NO_CONTENT);
        byte[] body = new WriteRequests().series(labels("__name__", "up"), sample(1000, 1), sample(2000, 1)).body();

        AggregatedHttpResponse refused = post(body);

        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.contentUtf8()).startsWith("ingest is overloaded");
        held.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.queuedItems() == 0);
        assertThat(post(body).status()).isEqualTo(HttpStatus.NO_CONTENT); // not taken for a duplicate
        assertThat(awaitStored(3)).extracting(MetricPoint::metricName).containsExactly("first", "up", "up");
    }

    @Test
    void post_wrongContentTypeOrEncodingOrVersion_415() {
        byte[] body = new WriteRequests().series(labels("__name__", "up"), sample(1000, 1)).body();

        AggregatedHttpResponse json = post("application/json", "snappy", body);
        AggregatedHttpResponse gzip = post(PROTOBUF, "gzip", body);
        AggregatedHttpResponse version2 = post(PROTOBUF + ";proto=io.prometheus.write.v2.Request", "snappy", body);

        assertThat(json.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(json.contentUtf8()).isEqualTo(
                "unsupported Content-Type: application/json (expected: application/x-protobuf)\n");
        assertThat(gzip.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(gzip.contentUtf8()).contains("Content-Encoding: gzip (expected: snappy)");
        assertThat(version2.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(version2.contentUtf8()).contains("proto=io.prometheus.write.v2.Request");
        assertThat(post(PROTOBUF + "; proto=prometheus.WriteRequest", null, body).status())
                .isEqualTo(HttpStatus.NO_CONTENT);
        awaitStored(1);
        assertThat(counter("otel.remote_write.requests", "status", "415", "reason", "unsupported_media_type"))
                .isEqualTo(3);
    }

    @Test
    void post_oversize_413_sentOrDecompressed() {
        byte[] random = new byte[(int) MAX_REQUEST_BYTES + 1];
        new java.util.Random(7).nextBytes(random); // does not compress
        WriteRequests big = new WriteRequests();
        for (int i = 0; i < 2000; i++) {
            big.series(labels("__name__", "series_with_a_long_name_" + i, "job", "a-job-name-that-repeats"),
                    sample(1000, i));
        }
        byte[] compressesWell = big.body();
        assertThat(compressesWell.length).isLessThan((int) MAX_REQUEST_BYTES);

        AggregatedHttpResponse sent = post(random);
        AggregatedHttpResponse decompressed = post(compressesWell);

        assertThat(sent.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(decompressed.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(decompressed.contentUtf8()).contains("decompresses to").contains("more than the limit of 65536");
        assertStillServesAndStoredNothingElse();
    }

    @Test
    void post_truncatedProtobuf_400_nothingStored() {
        byte[] request = new WriteRequests().series(labels("__name__", "up", "job", "a"), sample(1000, 1))
                .series(labels("__name__", "down"), sample(1000, 1)).toByteArray();

        AggregatedHttpResponse response = post(WriteRequests.snappy(Arrays.copyOf(request, request.length - 4)));

        assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.contentUtf8()).startsWith("cannot decode remote write request of "
                + (request.length - 4) + " bytes as protobuf prometheus.WriteRequest");
        assertStillServesAndStoredNothingElse();
    }

    @Test
    void post_badSnappy_400() {
        byte[] compressed = new WriteRequests().series(labels("__name__", "up"), sample(1000, 1)).body();

        AggregatedHttpResponse notSnappy = post("plain text".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AggregatedHttpResponse truncated = post(Arrays.copyOf(compressed, compressed.length - 3));
        AggregatedHttpResponse empty = post(new byte[0]);

        assertThat(notSnappy.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(notSnappy.contentUtf8()).startsWith("invalid snappy body");
        assertThat(truncated.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(truncated.contentUtf8()).startsWith("invalid snappy body");
        assertThat(empty.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(counter("otel.remote_write.requests", "status", "400", "reason", "malformed")).isEqualTo(3);
        assertStillServesAndStoredNothingElse();
    }

    @Test
    void get_405WithAllowHeader() {
        AggregatedHttpResponse response = client.execute(HttpRequest.of(HttpMethod.GET, RemoteWriteReceiver.PATH))
                .aggregate().join();

        assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
    }

    /** A good request is still taken, and it is the only thing stored. */
    private void assertStillServesAndStoredNothingElse() {
        assertThat(post(new WriteRequests().series(labels("__name__", "after"), sample(5000, 1)).body()).status())
                .isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(awaitStored(1).get(0).metricName()).isEqualTo("after");
    }
}
