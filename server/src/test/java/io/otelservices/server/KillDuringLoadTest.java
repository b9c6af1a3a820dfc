package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load while the server is killed with SIGKILL several times and restarted on the same data directory: at the end,
 * every span of every acknowledged request is queryable, and none twice. Requests in flight at a kill may or may not
 * have been stored (they were not acknowledged), but never partly nor twice.
 */
class KillDuringLoadTest {

    private static final int SPANS_PER_REQUEST = 20;
    private static final int KILLS = 3;
    private static final int SENDERS = 3;

    @TempDir
    Path dataDirectory;

    private final AtomicInteger traceCounter = new AtomicInteger();

    @Test
    void sigkillUnderLoad_everyAcknowledgedSpanStoredOnce() throws Exception {
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>(); // trace id -> acknowledged
        Map<String, Boolean> unanswered = new ConcurrentHashMap<>();
        int refused = 0;
        for (int round = 0; round < KILLS; round++) {
            try (ChildProcess server = ChildProcess.start(dataDirectory, "--set", "ingest.batch_max_delay=200ms")) {
                WebClient otlp = WebClient.builder("http://127.0.0.1:" + server.ports().otlpHttp())
                        .responseTimeout(Duration.ofSeconds(10)).build();
                AtomicBoolean sending = new AtomicBoolean(true);
                AtomicInteger refusedHere = new AtomicInteger();
                List<Thread> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    Thread sender = new Thread(() -> {
                        while (sending.get()) {
                            String traceId = nextTraceId();
                            unanswered.put(traceId, true);
                            AggregatedHttpResponse response;
                            try {
                                response = otlp.prepare().post("/v1/traces")
                                        .content(MediaType.PROTOBUF, request(traceId).toByteArray())
                                        .execute().aggregate().join();
                            } catch (RuntimeException e) {
                                return; // the server is gone
                            }
                            if (response.status().equals(HttpStatus.OK)) {
                                unanswered.remove(traceId);
                                acknowledged.put(traceId, true);
                            } else {
                                unanswered.remove(traceId);
                                refusedHere.incrementAndGet();
                            }
                        }
                    }, "kill-test-sender-" + s);
                    sender.start();
                    senders.add(sender);
                }
                Thread.sleep(1500);
                server.kill(); // SIGKILL while the senders are mid-request
                sending.set(false);
                for (Thread sender : senders) {
                    sender.join(15_000);
                }
                refused += refusedHere.get();
            }
        }

        try (ChildProcess last = ChildProcess.start(dataDirectory)) {
            WebClient query = WebClient.of("http://127.0.0.1:" + last.ports().query());
            long expected = (long) acknowledged.size() * SPANS_PER_REQUEST;
            String range = "start_time=" + Instant.now().minusSeconds(3600) + "&end_time="
                    + Instant.now().plusSeconds(60);
            // Every acknowledged span is there; unacknowledged requests add whole traces at most.
            JsonNode stats = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> killTestStats(query, range), s -> s != null && s.get("span_count").asLong() >= expected);
            long stored = stats.get("span_count").asLong();
            assertThat(stored).isBetween(expected, expected + (long) unanswered.size() * SPANS_PER_REQUEST);
            assertThat(stored % SPANS_PER_REQUEST).as("no request stored in part").isZero();
            for (String traceId : sample(acknowledged.keySet(), 40)) {
                JsonNode trace = TestServers.getJson(query, "/api/v1/traces/" + traceId);
                assertThat(trace.get("spans")).as("trace %s stored exactly once", traceId).hasSize(SPANS_PER_REQUEST);
            }
            System.out.printf("kill test: %d kills, %d requests acknowledged (%d spans), %d refused, "
                    + "%d unanswered at a kill, %d spans stored%n", KILLS, acknowledged.size(), expected, refused,
                    unanswered.size(), stored);
            assertThat(acknowledged).hasSizeGreaterThan(KILLS * 5);
        }
    }

    private static List<String> sample(java.util.Set<String> ids, int count) {
        List<String> all = new ArrayList<>(ids);
        java.util.Collections.shuffle(all, new java.util.Random(7));
        return all.subList(0, Math.min(count, all.size()));
    }

    private static JsonNode killTestStats(WebClient query, String range) {
        for (JsonNode s : TestServers.getJson(query, "/api/v1/services/stats?" + range).get("services")) {
            if (s.get("service_name").asText().equals("kill-test")) {
                return s;
            }
        }
        return null;
    }

    private String nextTraceId() {
        ByteBuffer id = ByteBuffer.allocate(16).putLong(0x4b1d4b1d4b1d4b1dL).putLong(traceCounter.incrementAndGet());
        return HexFormat.of().formatHex(id.array());
    }

    private static ExportTraceServiceRequest request(String traceId) {
        long now = System.currentTimeMillis() * 1_000_000L;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < SPANS_PER_REQUEST; i++) {
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.fromHex(traceId))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1L).array()))
                    .setName("op-" + i)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(now + i)
                    .setEndTimeUnixNano(now + i + 1_000_000)
                    .addAttributes(KeyValue.newBuilder().setKey("index")
                            .setValue(AnyValue.newBuilder().setIntValue(i))));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("kill-test"))))
                .addScopeSpans(scope)).build();
    }
}
