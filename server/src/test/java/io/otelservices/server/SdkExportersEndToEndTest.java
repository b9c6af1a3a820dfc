package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters (gRPC and HTTP/protobuf) send spans, metrics and logs to a
 * started all-in-one server; everything is read back through the REST API and compared field by field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkExportersEndToEndTest {

    @TempDir
    static Path dataDirectory; // static: instance @TempDir fields are not yet set in @BeforeAll

    private OtelServices server;
    private WebClient query;

    @BeforeAll
    void start() {
        server = TestServers.start(dataDirectory);
        query = TestServers.query(server.ports());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String grpcEndpoint() {
        return "http://127.0.0.1:" + server.ports().otlpGrpc();
    }

    private String httpEndpoint(String signal) {
        return "http://127.0.0.1:" + server.ports().otlpHttp() + "/v1/" + signal;
    }

    private SpanExporter spanExporter(String protocol) {
        return protocol.equals("grpc")
                ? OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint()).build()
                : OtlpHttpSpanExporter.builder().setEndpoint(httpEndpoint("traces")).build();
    }

    private static Resource resource(String service) {
        return Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", service)
                .put("service.namespace", "shop")
                .put("deployment.environment", "test")
                .build(), "https://opentelemetry.io/schemas/1.24.0"));
    }

    private static void assertExported(CompletableResultCode result) {
        result.join(20, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as("export succeeded (failure: %s)", result.getFailureThrowable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void spans_exportedBySdk_readBackFieldByField(String protocol) {
        exportAndReadBackSpans(protocol, "checkout-" + protocol);
    }

    private void exportAndReadBackSpans(String protocol, String service) {
        InMemorySpanExporter recorded = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource(service))
                .addSpanProcessor(SimpleSpanProcessor.create(recorded))
                .build()) {
            Tracer tracer = provider.get("io.otelservices.e2e", "1.2.3");
            SpanContext linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                    TraceFlags.getSampled(), TraceState.builder().put("vendor", "value").build());
            io.opentelemetry.api.trace.Span root = tracer.spanBuilder("POST /checkout")
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", "POST")
                    .setAttribute("http.response.status_code", 500L)
                    .setAttribute("retry", true)
                    .setAttribute("ratio", 0.25)
                    .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                    .addLink(linked, Attributes.of(AttributeKey.stringKey("link.kind"), "follows"))
                    .startSpan();
            try (Scope ignored = root.makeCurrent()) {
                io.opentelemetry.api.trace.Span child = tracer.spanBuilder("SELECT orders")
                        .setSpanKind(SpanKind.CLIENT)
                        .setAttribute("db.system", "postgresql")
                        .startSpan();
                child.addEvent("rows fetched", Attributes.of(AttributeKey.longKey("rows"), 42L));
                child.end();
            }
            root.setStatus(StatusCode.ERROR, "payment declined");
            root.recordException(new IllegalStateException("declined"));
            root.end();
            spans = recorded.getFinishedSpanItems(); // before close: shutting the exporter down clears it
        }
        assertThat(spans).hasSize(2);

        SpanExporter exporter = spanExporter(protocol);
        assertExported(exporter.export(spans));
        exporter.shutdown().join(5, TimeUnit.SECONDS);

        String traceId = spans.get(0).getTraceId();
        JsonNode trace = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestServers.getJsonOrNull(query, "/api/v1/traces/" + traceId),
                        t -> t != null && t.get("spans").size() == 2);
        for (SpanData expected : spans) {
            JsonNode actual = spanById(trace, expected.getSpanId());
            assertSpan(actual, expected, service);
        }

        JsonNode found = TestServers.postJson(query, "/api/v1/traces",
                "{\"service_name\":\"" + service + "\",\"operation\":\"POST /checkout\","
                        + "\"attributes\":{\"http.request.method\":\"POST\"}}");
        assertThat(found.get("traces")).hasSize(1);
        JsonNode summary = found.get("traces").get(0);
        assertThat(summary.get("trace_id").asText()).isEqualTo(traceId);
        assertThat(summary.get("root_service").asText()).isEqualTo(service);
        assertThat(summary.get("root_operation").asText()).isEqualTo("POST /checkout");
        assertThat(summary.get("span_count").asInt()).isEqualTo(2);
        assertThat(summary.get("has_error").asBoolean()).isTrue();
    }

    private static JsonNode spanById(JsonNode trace, String spanId) {
        for (JsonNode span : trace.get("spans")) {
            if (span.get("span_id").asText().equals(spanId)) {
                return span;
            }
        }
        throw new AssertionError("span " + spanId + " not in " + trace);
    }

    private static void assertSpan(JsonNode actual, SpanData expected, String service) {
        assertThat(actual.get("trace_id").asText()).isEqualTo(expected.getTraceId());
        assertThat(actual.get("parent_span_id").asText())
                .isEqualTo(expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : "");
        assertThat(actual.get("name").asText()).isEqualTo(expected.getName());
        assertThat(actual.get("kind").asText()).isEqualToIgnoringCase(expected.getKind().name());
        assertThat(actual.get("service_name").asText()).isEqualTo(service);
        assertThat(actual.get("start_time_unix_nano").asText())
                .isEqualTo(Long.toString(expected.getStartEpochNanos()));
        assertThat(actual.get("duration_ns").asLong())
                .isEqualTo(expected.getEndEpochNanos() - expected.getStartEpochNanos());
        assertThat(Instant.parse(actual.get("start_time").asText()))
                .isEqualTo(Instant.ofEpochSecond(0, expected.getStartEpochNanos()));
        assertThat(actual.get("flags").asInt() & 0xff).isEqualTo(expected.getSpanContext().getTraceFlags().asByte());
        assertThat(actual.get("status_code").asText()).isEqualToIgnoringCase(expected.getStatus().getStatusCode().name());
        assertThat(actual.get("status_message").asText()).isEqualTo(expected.getStatus().getDescription());
        assertAttributes(actual.get("attributes"), expected.getAttributes());
        assertAttributes(actual.get("resource").get("attributes"), expected.getResource().getAttributes());
        assertThat(actual.get("resource").get("schema_url").asText()).isEqualTo(expected.getResource().getSchemaUrl());
        assertThat(actual.get("scope").get("name").asText())
                .isEqualTo(expected.getInstrumentationScopeInfo().getName());
        assertThat(actual.get("scope").get("version").asText())
                .isEqualTo(expected.getInstrumentationScopeInfo().getVersion());
        assertThat(actual.get("events")).hasSize(expected.getEvents().size());
        for (int i = 0; i < expected.getEvents().size(); i++) {
            var event = expected.getEvents().get(i);
            JsonNode actualEvent = actual.get("events").get(i);
            assertThat(actualEvent.get("name").asText()).isEqualTo(event.getName());
            assertThat(actualEvent.get("time_unix_nano").asText()).isEqualTo(Long.toString(event.getEpochNanos()));
            assertAttributes(actualEvent.get("attributes"), event.getAttributes());
        }
        assertThat(actual.get("links")).hasSize(expected.getLinks().size());
        for (int i = 0; i < expected.getLinks().size(); i++) {
            var link = expected.getLinks().get(i);
            JsonNode actualLink = actual.get("links").get(i);
            assertThat(actualLink.get("trace_id").asText()).isEqualTo(link.getSpanContext().getTraceId());
            assertThat(actualLink.get("span_id").asText()).isEqualTo(link.getSpanContext().getSpanId());
            assertThat(actualLink.get("trace_state").asText()).isEqualTo("vendor=value");
            assertAttributes(actualLink.get("attributes"), link.getAttributes());
        }
    }

    /** Attributes as stored (DESIGN.md §3): strings as is, other types as JSON text. */
    private static void assertAttributes(JsonNode actual, Attributes expected) {
        assertThat(actual.size()).as("attributes %s vs %s", actual, expected).isEqualTo(expected.size());
        expected.forEach((key, value) -> {
            String stored = actual.get(key.getKey()).asText();
            switch (key.getType()) {
                case STRING -> assertThat(stored).isEqualTo(value);
                case BOOLEAN, LONG -> assertThat(stored).isEqualTo(String.valueOf(value));
                case DOUBLE -> assertThat(Double.parseDouble(stored)).isEqualTo((Double) value);
                default -> assertThat(readJson(stored)).isEqualTo(TestServers.JSON.valueToTree(value));
            }
        });
    }

    private static JsonNode readJson(String text) {
        try {
            return TestServers.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void metrics_exportedBySdk_queryableByAggregation(String protocol) {
        String service = "inventory-" + protocol;
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        Collection<MetricData> metrics;
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(resource(service))
                .registerMetricReader(reader)
                .build()) {
            var meter = provider.get("io.otelservices.e2e");
            LongCounter requests = meter.counterBuilder("http.server.requests").setUnit("1").build();
            DoubleHistogram latency = meter.histogramBuilder("http.server.duration").setUnit("ms")
                    .setExplicitBucketBoundariesAdvice(List.of(10.0, 50.0, 100.0, 500.0)).build();
            meter.gaugeBuilder("queue.depth").buildWithCallback(g -> g.record(7.0, Attributes.of(
                    AttributeKey.stringKey("queue"), "orders")));
            requests.add(5, Attributes.of(AttributeKey.stringKey("route"), "/a"));
            requests.add(3, Attributes.of(AttributeKey.stringKey("route"), "/b"));
            for (int i = 1; i <= 100; i++) {
                latency.record(i * 2.0); // 2..200 ms
            }
            metrics = reader.collectAllMetrics();
        }
        assertThat(metrics).extracting(MetricData::getName)
                .contains("http.server.requests", "http.server.duration", "queue.depth");

        MetricExporter exporter = protocol.equals("grpc")
                ? OtlpGrpcMetricExporter.builder().setEndpoint(grpcEndpoint()).build()
                : OtlpHttpMetricExporter.builder().setEndpoint(httpEndpoint("metrics")).build();
        assertExported(exporter.export(metrics));
        exporter.shutdown().join(5, TimeUnit.SECONDS);

        String range = "\"start_time\":\"" + Instant.now().minusSeconds(600) + "\",\"end_time\":\""
                + Instant.now().plusSeconds(60) + "\",\"step\":\"1h\"";
        JsonNode sum = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestServers.postJson(query, "/api/v1/metrics",
                        "{\"metric_name\":\"http.server.requests\",\"service_name\":\"" + service
                                + "\",\"aggregation\":\"sum\"," + range + "}"),
                        r -> r.get("series").size() > 0);
        assertThat(lastValue(sum)).isEqualTo(8.0);

        JsonNode byRoute = TestServers.postJson(query, "/api/v1/metrics",
                "{\"metric_name\":\"http.server.requests\",\"service_name\":\"" + service
                        + "\",\"aggregation\":\"max\",\"group_by\":[\"route\"]," + range + "}");
        assertThat(byRoute.get("series")).hasSize(2);

        JsonNode count = TestServers.postJson(query, "/api/v1/metrics",
                "{\"metric_name\":\"http.server.duration\",\"service_name\":\"" + service
                        + "\",\"aggregation\":\"count\"," + range + "}");
        assertThat(lastValue(count)).isEqualTo(100.0);
        JsonNode p50 = TestServers.postJson(query, "/api/v1/metrics",
                "{\"metric_name\":\"http.server.duration\",\"service_name\":\"" + service
                        + "\",\"aggregation\":\"p50\"," + range + "}");
        // 100 values 2..200 in buckets (0,10],(10,50],(50,100],(100,500]: rank 50 falls in (50,100], which holds
        // 25 values (52..100) after 25 below; linear interpolation: 50 + 50 * (50 - 25) / 25 = 100.
        assertThat(lastValue(p50)).isEqualTo(100.0);

        JsonNode gauge = TestServers.postJson(query, "/api/v1/metrics",
                "{\"metric_name\":\"queue.depth\",\"service_name\":\"" + service
                        + "\",\"attributes\":{\"queue\":\"orders\"},\"aggregation\":\"avg\"," + range + "}");
        assertThat(lastValue(gauge)).isEqualTo(7.0);
    }

    private static double lastValue(JsonNode result) {
        JsonNode points = result.get("series").get(0).get("points");
        return points.get(points.size() - 1).get(1).asDouble();
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void logs_exportedBySdk_readBackFieldByField(String protocol) {
        String service = "payments-" + protocol;
        InMemoryLogRecordExporter recorded = InMemoryLogRecordExporter.create();
        List<LogRecordData> logs;
        SpanContext spanContext = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(resource(service))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(recorded))
                .build()) {
            Logger logger = provider.get("io.otelservices.e2e");
            logger.logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO")
                    .setBody("order 17 accepted").setAttribute(AttributeKey.stringKey("order.id"), "17").emit();
            logger.logRecordBuilder().setSeverity(Severity.ERROR).setSeverityText("ERROR")
                    .setBody("Card DECLINED for order 18")
                    .setContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(spanContext)))
                    .setAttribute(AttributeKey.longKey("attempt"), 3L).emit();
            logs = new ArrayList<>(recorded.getFinishedLogRecordItems()); // before close, which clears it
        }
        LogRecordExporter exporter = protocol.equals("grpc")
                ? OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint()).build()
                : OtlpHttpLogRecordExporter.builder().setEndpoint(httpEndpoint("logs")).build();
        assertExported(exporter.export(logs));
        exporter.shutdown().join(5, TimeUnit.SECONDS);

        String range = "\"start_time\":\"" + Instant.now().minusSeconds(600) + "\",\"end_time\":\""
                + Instant.now().plusSeconds(60) + "\"";
        JsonNode all = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestServers.postJson(query, "/api/v1/logs",
                        "{\"service_name\":\"" + service + "\"," + range + "}"),
                        r -> r.get("logs").size() == 2);
        // Newest first.
        assertThat(all.get("logs").get(0).get("body").asText()).isEqualTo("Card DECLINED for order 18");

        JsonNode errors = TestServers.postJson(query, "/api/v1/logs",
                "{\"service_name\":\"" + service + "\",\"severity\":\"warn\",\"search_text\":\"declined\"," + range + "}");
        assertThat(errors.get("logs")).hasSize(1);
        JsonNode error = errors.get("logs").get(0);
        LogRecordData expected = logs.get(1);
        assertThat(error.get("severity_number").asInt()).isEqualTo(Severity.ERROR.getSeverityNumber());
        assertThat(error.get("severity_text").asText()).isEqualTo("ERROR");
        assertThat(error.get("trace_id").asText()).isEqualTo(spanContext.getTraceId());
        assertThat(error.get("span_id").asText()).isEqualTo(spanContext.getSpanId());
        assertThat(error.get("trace_flags").asInt()).isEqualTo(1);
        assertThat(error.get("timestamp_unix_nano").asText())
                .isEqualTo(Long.toString(expected.getTimestampEpochNanos() != 0
                        ? expected.getTimestampEpochNanos() : expected.getObservedTimestampEpochNanos()));
        assertThat(error.get("attributes")).isEqualTo(TestServers.JSON.valueToTree(Map.of("attempt", "3")));
        assertThat(error.get("scope").get("name").asText()).isEqualTo("io.otelservices.e2e");
        assertThat(error.get("resource").get("attributes").get("service.namespace").asText()).isEqualTo("shop");

        JsonNode byTrace = TestServers.postJson(query, "/api/v1/logs",
                "{\"trace_id\":\"" + spanContext.getTraceId() + "\",\"service_name\":\"" + service + "\","
                        + range + "}");
        assertThat(byTrace.get("logs")).hasSize(1);
    }

    @Test
    void serviceStats_afterSdkSpans_countsSpansAndErrors() {
        exportAndReadBackSpans("http", "checkout-stats");
        JsonNode stats = TestServers.getJson(query, "/api/v1/services/stats");
        JsonNode checkout = null;
        for (JsonNode service : stats.get("services")) {
            if (service.get("service_name").asText().equals("checkout-stats")) {
                checkout = service;
            }
        }
        assertThat(checkout).as("checkout-stats in %s", stats).isNotNull();
        assertThat(checkout.get("span_count").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(checkout.get("error_count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(checkout.get("operations")).extracting(JsonNode::asText).contains("POST /checkout", "SELECT orders");
    }
}
