package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a small memory budget and a slow batch flush, concurrent OTel SDK exporters are refused with the protocol's
 * retryable answer (HTTP 503 with Retry-After, gRPC UNAVAILABLE with RetryInfo); the SDK's own retry policy sends
 * again, every export eventually succeeds, and every span is stored exactly once.
 */
class BackpressureEndToEndTest {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void sdkExporters_refusedOverMemoryBudget_retryAndNothingIsLost(String protocol) throws IOException {
        ServerConfig defaults = TestServers.config(dataDirectory, Duration.ofMillis(300));
        ServerConfig.Ingest i = defaults.ingest();
        // 2 MiB budget: a couple of requests of 300 spans fill it until they are stored.
        ServerConfig config = new ServerConfig(defaults.mode(), dataDirectory, "INFO", defaults.ports(),
                new ServerConfig.Ingest(i.maxRequestBytes(), i.batchMaxItems(), i.batchMaxDelay(),
                        i.walSegmentBytes(), i.maxQueuedItems(), i.writers(), i.maxWriteAttempts(), 2 * 1024 * 1024,
                        i.walMaxBytes()),
                defaults.duckDb(), defaults.clickHouse());
        String service = "backpressure-" + protocol;
        List<List<SpanData>> requests = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            requests.add(spans(service, r, 300));
        }

        try (OtelServices server = OtelServices.start(config, Clock.systemUTC())) {
            // The SDK allows at most 5 attempts; with this backoff they span about 12 s.
            RetryPolicy retry = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(1))
                    .setMaxBackoff(Duration.ofSeconds(5)).setBackoffMultiplier(2).build();
            List<SpanExporter> exporters = new ArrayList<>();
            List<CompletableResultCode> results = new ArrayList<>();
            for (List<SpanData> request : requests) {
                SpanExporter exporter = protocol.equals("grpc")
                        ? OtlpGrpcSpanExporter.builder().setRetryPolicy(retry)
                                .setEndpoint("http://127.0.0.1:" + server.ports().otlpGrpc()).build()
                        : OtlpHttpSpanExporter.builder().setRetryPolicy(retry)
                                .setEndpoint("http://127.0.0.1:" + server.ports().otlpHttp() + "/v1/traces").build();
                exporters.add(exporter);
                results.add(exporter.export(request)); // all at once
            }
            for (CompletableResultCode result : results) {
                result.join(60, TimeUnit.SECONDS);
                assertThat(result.isSuccess()).as("export succeeded after retries: %s", result.getFailureThrowable())
                        .isTrue();
            }
            exporters.forEach(SpanExporter::shutdown);

            double refused = server.meters().find("otel.rejected.items").tag("reason", "memory_limit").counters()
                    .stream().mapToDouble(c -> c.count()).sum();
            assertThat(refused).as("requests refused over the memory budget").isPositive();

            WebClient query = TestServers.query(server.ports());
            String range = "start_time=" + Instant.now().minusSeconds(3600) + "&end_time="
                    + Instant.now().plusSeconds(60);
            JsonNode stats = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> serviceStats(query, range, service),
                            s -> s != null && s.get("span_count").asLong() >= 8 * 300);
            assertThat(stats.get("span_count").asLong()).isEqualTo(8 * 300);
        }
    }

    private static JsonNode serviceStats(WebClient query, String range, String service) {
        for (JsonNode s : TestServers.getJson(query, "/api/v1/services/stats?" + range).get("services")) {
            if (s.get("service_name").asText().equals(service)) {
                return s;
            }
        }
        return null;
    }

    private static List<SpanData> spans(String service, int request, int count) {
        InMemorySpanExporter recorded = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(recorded))
                .build()) {
            var tracer = provider.get("backpressure-test");
            for (int s = 0; s < count; s++) {
                tracer.spanBuilder("op-" + (s % 7))
                        .setAttribute("request", request)
                        .setAttribute("http.route", "/api/items/{id}")
                        .setAttribute("payload", "x".repeat(200))
                        .startSpan().end();
            }
            return recorded.getFinishedSpanItems(); // before close, which clears it
        }
    }
}
