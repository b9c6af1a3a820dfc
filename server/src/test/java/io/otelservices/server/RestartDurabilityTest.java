package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A success reply means durable: data survives a clean restart, and a SIGKILL right after the reply, with nothing
 * yet written to storage (the batch delay is an hour, so every item is only in the write-ahead log).
 */
class RestartDurabilityTest {

    @TempDir
    Path dataDirectory;

    /** Traces of {@code spansPerTrace} spans each, by trace id. */
    private static Map<String, List<SpanData>> traces(String service, int traceCount, int spansPerTrace) {
        InMemorySpanExporter recorded = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(recorded))
                .build()) {
            var tracer = provider.get("restart-test");
            for (int t = 0; t < traceCount; t++) {
                var root = tracer.spanBuilder("root-" + t).startSpan();
                try (var ignored = root.makeCurrent()) {
                    for (int s = 1; s < spansPerTrace; s++) {
                        tracer.spanBuilder("child-" + s).startSpan().end();
                    }
                }
                root.end();
            }
            spans = recorded.getFinishedSpanItems(); // before close: shutting the exporter down clears it
        }
        Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
        for (SpanData span : spans) {
            byTrace.computeIfAbsent(span.getTraceId(), k -> new ArrayList<>()).add(span);
        }
        return byTrace;
    }

    private static void export(int otlpHttpPort, Collection<SpanData> spans) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + otlpHttpPort + "/v1/traces").build();
        CompletableResultCode result = exporter.export(spans).join(20, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as("export acknowledged").isTrue();
        exporter.shutdown();
    }

    private static void assertAllStoredOnce(WebClient query, Map<String, List<SpanData>> traces) {
        for (var trace : traces.entrySet()) {
            JsonNode stored = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> TestServers.getJsonOrNull(query, "/api/v1/traces/" + trace.getKey()),
                            t -> t != null && t.get("spans").size() >= trace.getValue().size());
            List<String> spanIds = new ArrayList<>();
            stored.get("spans").forEach(s -> spanIds.add(s.get("span_id").asText()));
            assertThat(spanIds).as("trace %s stored exactly once", trace.getKey())
                    .containsExactlyInAnyOrderElementsOf(
                            trace.getValue().stream().map(SpanData::getSpanId).toList());
        }
    }

    @Test
    void cleanRestart_keepsEverything() {
        Map<String, List<SpanData>> traces = traces("restart-clean", 5, 4);
        List<LogRecordData> logs = logs("restart-clean", 30);
        try (OtelServices first = TestServers.start(dataDirectory)) {
            traces.values().forEach(spans -> export(first.ports().otlpHttp(), spans));
            var exporter = OtlpHttpLogRecordExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + first.ports().otlpHttp() + "/v1/logs").build();
            assertThat(exporter.export(logs).join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
            exporter.shutdown();
        }
        try (OtelServices second = TestServers.start(dataDirectory)) {
            WebClient query = TestServers.query(second.ports());
            assertAllStoredOnce(query, traces);
            JsonNode found = TestServers.postJson(query, "/api/v1/logs",
                    "{\"service_name\":\"restart-clean\",\"limit\":1000,\"start_time\":\""
                            + Instant.now().minusSeconds(3600) + "\",\"end_time\":\"" + Instant.now().plusSeconds(60)
                            + "\"}");
            assertThat(found.get("logs")).hasSize(30);
        }
    }

    private static List<LogRecordData> logs(String service, int count) {
        InMemoryLogRecordExporter recorded = InMemoryLogRecordExporter.create();
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service)))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(recorded))
                .build()) {
            var logger = provider.get("restart-test");
            for (int i = 0; i < count; i++) {
                logger.logRecordBuilder().setSeverity(Severity.WARN).setBody("line " + i).emit();
            }
            return recorded.getFinishedLogRecordItems(); // before close, which clears it
        }
    }

    @Test
    void sigkillRightAfterSuccessReply_acknowledgedDataReplayedOnce() throws Exception {
        Map<String, List<SpanData>> traces = traces("restart-kill", 20, 5);
        try (ChildProcess first = ChildProcess.start(dataDirectory, "--set", "ingest.batch_max_delay=1h")) {
            traces.values().forEach(spans -> export(first.ports().otlpHttp(), spans));
            first.kill();
        }
        try (ChildProcess second = ChildProcess.start(dataDirectory)) {
            assertAllStoredOnce(WebClient.of("http://127.0.0.1:" + second.ports().query()), traces);
            // A second crash after replay must not duplicate anything either.
            second.kill();
        }
        try (ChildProcess third = ChildProcess.start(dataDirectory)) {
            assertAllStoredOnce(WebClient.of("http://127.0.0.1:" + third.ports().query()), traces);
            // SIGTERM: the shutdown hook closes everything in order; the JVM still reports 128 + 15.
            assertThat(third.terminate()).isEqualTo(143);
            assertThat(third.output()).anyMatch(line -> line.contains("otelservices stopped"));
        }
    }
}
