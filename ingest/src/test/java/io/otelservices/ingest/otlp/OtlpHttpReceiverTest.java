package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelservices.ingest.testing.OtlpFixtures;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import io.otelservices.ingest.testing.TestData;
import io.otelservices.model.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpHttpReceiverTest {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private ReceiverTestServer server;
    private WebClient client;

    @BeforeEach
    void start() throws Exception {
        server = new ReceiverTestServer(dir, new RecordingBatchWriter(), 200_000);
        client = WebClient.builder(server.uri()).responseTimeout(Duration.ofSeconds(10)).build();
        // A request accepted before every test's own, which must be stored exactly once whatever follows.
        assertThat(post("/v1/traces", PROTOBUF, OtlpFixtures.manySpans(2, 100).toByteArray(), false).status())
                .isEqualTo(HttpStatus.OK);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AggregatedHttpResponse post(String path, String contentType, byte[] body, boolean gzip) {
        com.linecorp.armeria.common.RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path)
                .set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (gzip) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            body = ReceiverTestServer.gzip(body);
        }
        return client.execute(headers.build(), HttpData.wrap(body)).aggregate().join();
    }

    /** The server still takes a good request, and everything accepted so far is stored exactly once. */
    private void assertStillServesAndStoredOnce(int spansAcceptedInTheTest) {
        assertThat(post("/v1/traces", PROTOBUF, OtlpFixtures.manySpans(1, 200).toByteArray(), false).status())
                .isEqualTo(HttpStatus.OK);
        server.awaitStoredSpans(2 + spansAcceptedInTheTest + 1);
    }

    private static com.google.rpc.Status protobufStatus(AggregatedHttpResponse response) throws Exception {
        assertThat(response.contentType().toString()).startsWith(PROTOBUF);
        return com.google.rpc.Status.parseFrom(response.content().array());
    }

    private static JsonNode json(AggregatedHttpResponse response) throws Exception {
        assertThat(response.contentType().toString()).startsWith(JSON);
        return MAPPER.readTree(response.contentUtf8());
    }

    @Test
    void post_protobufTraces_200AfterDurable_andStored() throws Exception {
        AggregatedHttpResponse response = post("/v1/traces", PROTOBUF, OtlpFixtures.richTraces().toByteArray(), false);

        assertThat(response.status()).isEqualTo(HttpStatus.OK);
        ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.content().array());
        assertThat(body.hasPartialSuccess()).isFalse();
        assertStillServesAndStoredOnce(1);
        assertThat(server.meters.get("otel.received.spans").counter().count()).isEqualTo(4);
    }

    @Test
    void post_jsonAndProtobufOfTheSameSpans_storeEqualSpans() throws Exception {
        AggregatedHttpResponse jsonResponse = post("/v1/traces", JSON, TestData.otlpJson("trace.json"), false);
        assertThat(jsonResponse.status()).isEqualTo(HttpStatus.OK);
        assertThat(jsonResponse.contentUtf8()).isEqualTo("{}");
        server.awaitStoredSpans(3);
        Span fromJson = server.writer.spans().get(2);

        ExportTraceServiceRequest sameAsProtobuf = OtlpJsonDecoder.decode(TestData.otlpJson("trace.json"),
                ExportTraceServiceRequest.newBuilder());
        assertThat(post("/v1/traces", PROTOBUF, sameAsProtobuf.toByteArray(), false).status())
                .isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.writer.spans().size() == 4);
        Span fromProtobuf = server.writer.spans().get(3);

        assertThat(fromJson).usingRecursiveComparison().isEqualTo(fromProtobuf);
        assertThat(fromJson.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    }

    @Test
    void post_gzip_protobufAndJson_allSignals() throws Exception {
        assertThat(post("/v1/traces", PROTOBUF, OtlpFixtures.richTraces().toByteArray(), true).status())
                .isEqualTo(HttpStatus.OK);
        assertThat(post("/v1/metrics", JSON + "; charset=utf-8", TestData.otlpJson("metrics.json"), true).status())
                .isEqualTo(HttpStatus.OK);
        assertThat(post("/v1/logs", JSON, TestData.otlpJson("logs.json"), true).status()).isEqualTo(HttpStatus.OK);
        assertThat(post("/v1/logs", PROTOBUF, OtlpFixtures.richLogs().toByteArray(), true).status())
                .isEqualTo(HttpStatus.OK);

        await().atMost(Duration.ofSeconds(5)).until(() -> server.writer.metricPoints().size() == 4
                && server.writer.logs().size() == 3);
        assertStillServesAndStoredOnce(1);
    }

    @Test
    void post_someInvalidSpans_partialSuccessInTheRequestFormat() throws Exception {
        io.opentelemetry.proto.trace.v1.Span noTraceId =
                OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX, "00000000000000a2").toBuilder().clearTraceId().build();
        ExportTraceServiceRequest request = OtlpFixtures.traces(
                OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX, "00000000000000a1"), noTraceId);

        AggregatedHttpResponse protobuf = post("/v1/traces", PROTOBUF, request.toByteArray(), false);
        assertThat(protobuf.status()).isEqualTo(HttpStatus.OK);
        ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(protobuf.content().array());
        assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(body.getPartialSuccess().getErrorMessage()).contains("trace_id")
                .contains("resource_spans[0].scope_spans[0].spans[1]");

        AggregatedHttpResponse json = post("/v1/traces", JSON,
                OtlpJsonText.of(OtlpFixtures.traces(noTraceId), false).getBytes(StandardCharsets.UTF_8), false);
        assertThat(json.status()).isEqualTo(HttpStatus.OK);
        assertThat(json(json).at("/partialSuccess/rejectedSpans").asText()).isEqualTo("1");

        assertStillServesAndStoredOnce(1);
        assertThat(server.meters.get("otel.rejected.items").tags("signal", "traces", "reason", "invalid_trace_id")
                .counter().count()).isEqualTo(2);
    }

    @Test
    void post_metricWithoutName_partialSuccessWithRejectedDataPoints() throws Exception {
        ExportMetricsServiceRequest rich = OtlpFixtures.richMetrics();
        ScopeMetrics scope = rich.getResourceMetrics(0).getScopeMetrics(0);
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope.toBuilder()
                        .addMetrics(scope.getMetrics(0).toBuilder().clearName())))
                .build();

        AggregatedHttpResponse response = post("/v1/metrics", PROTOBUF, request.toByteArray(), false);

        assertThat(response.status()).isEqualTo(HttpStatus.OK);
        ExportMetricsServiceResponse body = ExportMetricsServiceResponse.parseFrom(response.content().array());
        assertThat(body.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.writer.metricPoints().size() == 5);
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_truncatedProtobuf_400WithStatus() throws Exception {
        byte[] whole = OtlpFixtures.richTraces().toByteArray();

        AggregatedHttpResponse response = post("/v1/traces", PROTOBUF, Arrays.copyOf(whole, whole.length - 7), false);

        assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        com.google.rpc.Status status = protobufStatus(response);
        assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(status.getMessage()).startsWith("cannot decode OTLP traces request of " + (whole.length - 7)
                + " bytes as protobuf");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_invalidJson_400WithJsonStatus() throws Exception {
        AggregatedHttpResponse response = post("/v1/logs", JSON,
                "{\"resourceLogs\":[{\"scopeLogs\":".getBytes(StandardCharsets.UTF_8), false);

        assertThat(response.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        JsonNode status = json(response);
        assertThat(status.get("code").asInt()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(status.get("message").asText()).startsWith("invalid JSON");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_unsupportedContentTypeOrEncoding_415() {
        assertThat(post("/v1/traces", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), false).status())
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        AggregatedHttpResponse brotli = client.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                .contentType(com.linecorp.armeria.common.MediaType.parse(PROTOBUF))
                .set(HttpHeaderNames.CONTENT_ENCODING, "br").build(), HttpData.ofUtf8("x")).aggregate().join();
        assertThat(brotli.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(brotli.contentUtf8()).contains("Content-Encoding");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_tooLarge_413() throws Exception {
        ExportTraceServiceRequest huge = OtlpFixtures.traces(OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX).toBuilder().setName("x".repeat(300 * 1024)).build());

        AggregatedHttpResponse response = post("/v1/traces", PROTOBUF, huge.toByteArray(), false);

        assertThat(response.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_gzipBomb_413() throws Exception {
        byte[] zeros = new byte[20 * 1024 * 1024]; // compresses to about 20 KiB

        AggregatedHttpResponse response = post("/v1/traces", PROTOBUF, zeros, true);

        assertThat(response.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(protobufStatus(response).getMessage()).contains("after gzip decompression");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_badGzip_400() throws Exception {
        byte[] gzip = ReceiverTestServer.gzip(OtlpFixtures.richTraces().toByteArray());
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                .set(HttpHeaderNames.CONTENT_TYPE, PROTOBUF).set(HttpHeaderNames.CONTENT_ENCODING, "gzip").build();

        AggregatedHttpResponse notGzip = client.execute(headers, HttpData.ofUtf8("plain bytes")).aggregate().join();
        AggregatedHttpResponse truncated = client.execute(headers,
                HttpData.wrap(Arrays.copyOf(gzip, gzip.length / 2))).aggregate().join();

        assertThat(notGzip.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(protobufStatus(notGzip).getMessage()).startsWith("invalid gzip body");
        assertThat(truncated.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(protobufStatus(truncated).getMessage()).startsWith("invalid gzip body");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_idOfWrongLength_400NamingWhere_inBothFormats() throws Exception {
        ExportTraceServiceRequest request = OtlpFixtures.traces(OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX).toBuilder().setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5}))
                .build());
        String expected = "resource_spans[0].scope_spans[0].spans[0].trace_id: 5 bytes (expected: 16)";

        AggregatedHttpResponse protobuf = post("/v1/traces", PROTOBUF, request.toByteArray(), false);
        AggregatedHttpResponse json = post("/v1/traces", JSON,
                OtlpJsonText.of(request, false).getBytes(StandardCharsets.UTF_8), false);

        assertThat(protobuf.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(protobufStatus(protobuf).getMessage()).isEqualTo(expected);
        assertThat(json.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(json).get("message").asText()).isEqualTo(expected);
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_unknownEnumNumberAccepted_unknownEnumName400() throws Exception {
        String span = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + OtlpFixtures.TRACE_ID_HEX
                + "\",\"spanId\":\"00000000000000e1\",\"kind\":%s}]}]}]}";

        AggregatedHttpResponse number = post("/v1/traces", JSON,
                String.format(span, "42").getBytes(StandardCharsets.UTF_8), false);
        AggregatedHttpResponse name = post("/v1/traces", JSON,
                String.format(span, "\"SPAN_KIND_SIDEWAYS\"").getBytes(StandardCharsets.UTF_8), false);

        assertThat(number.status()).isEqualTo(HttpStatus.OK);
        assertThat(name.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(name).get("message").asText()).contains("SPAN_KIND_SIDEWAYS");
        assertStillServesAndStoredOnce(1);
        assertThat(server.writer.spans()).extracting(Span::spanKind).contains("42");
    }

    @Test
    void get_405WithAllowHeader() {
        AggregatedHttpResponse response = client.execute(HttpRequest.of(HttpMethod.GET, "/v1/metrics"))
                .aggregate().join();

        assertThat(response.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_emptyProtobufBody_isAnEmptySuccess() throws Exception {
        AggregatedHttpResponse response = post("/v1/logs", PROTOBUF, new byte[0], false);

        assertThat(response.status()).isEqualTo(HttpStatus.OK);
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void post_overloaded_503WithRetryAfter() throws Exception {
        server.close();
        RecordingBatchWriter held = new RecordingBatchWriter().hold();
        server = new ReceiverTestServer(dir.resolve("overload"), held, 3);
        client = WebClient.of(server.uri());

        assertThat(post("/v1/traces", PROTOBUF, OtlpFixtures.manySpans(3, 1).toByteArray(), false).status())
                .isEqualTo(HttpStatus.OK);
        AggregatedHttpResponse refused = post("/v1/traces", PROTOBUF, OtlpFixtures.manySpans(1, 2).toByteArray(),
                false);

        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
        com.google.rpc.Status status = protobufStatus(refused);
        assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
        assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

        held.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pipeline.queuedItems() == 0);
        assertThat(post("/v1/traces", PROTOBUF, OtlpFixtures.manySpans(1, 3).toByteArray(), false).status())
                .isEqualTo(HttpStatus.OK);
        server.awaitStoredSpans(4);
    }
}
