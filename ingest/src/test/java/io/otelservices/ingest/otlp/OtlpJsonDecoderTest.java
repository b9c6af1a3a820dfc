package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelservices.ingest.testing.OtlpFixtures;
import io.otelservices.ingest.testing.TestData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpJsonDecoderTest {

    private static ExportTraceServiceRequest traces(String json) throws OtlpRequestException {
        return OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder());
    }

    private static String spanJson(String spanFields) {
        return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + spanFields + "}]}]}]}";
    }

    @Test
    void decode_traceExample_readsUpperCaseHexIds() throws Exception {
        ExportTraceServiceRequest request =
                OtlpJsonDecoder.decode(TestData.otlpJson("trace.json"), ExportTraceServiceRequest.newBuilder());

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.TRACE_ID_HEX));
        assertThat(span.getSpanId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.SPAN_ID_HEX));
        assertThat(span.getParentSpanId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.PARENT_ID_HEX));
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    }

    @Test
    void decode_allExamples_succeed() throws Exception {
        assertThat(OtlpJsonDecoder.<ExportMetricsServiceRequest>decode(TestData.otlpJson("metrics.json"),
                ExportMetricsServiceRequest.newBuilder()).getResourceMetrics(0).getScopeMetrics(0).getMetricsCount())
                .isEqualTo(4);
        assertThat(OtlpJsonDecoder.<ExportLogsServiceRequest>decode(TestData.otlpJson("logs.json"),
                ExportLogsServiceRequest.newBuilder()).getResourceLogs(0).getScopeLogs(0).getLogRecordsCount())
                .isEqualTo(1);
        assertThat(OtlpJsonDecoder.<ExportLogsServiceRequest>decode(TestData.otlpJson("events.json"),
                ExportLogsServiceRequest.newBuilder()).getResourceLogs(0).getScopeLogs(0).getLogRecords(0)
                .getEventName()).isEqualTo("browser.page_view");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decode_referencePrinterOutput_givesTheSameMessage(boolean protoFieldNames) throws Exception {
        ExportTraceServiceRequest traces = OtlpFixtures.richTraces();
        ExportMetricsServiceRequest metrics = OtlpFixtures.richMetrics();
        ExportLogsServiceRequest logs = OtlpFixtures.richLogs();

        assertThat(OtlpJsonDecoder.<ExportTraceServiceRequest>decode(bytes(traces, protoFieldNames),
                ExportTraceServiceRequest.newBuilder())).isEqualTo(traces);
        assertThat(OtlpJsonDecoder.<ExportMetricsServiceRequest>decode(bytes(metrics, protoFieldNames),
                ExportMetricsServiceRequest.newBuilder())).isEqualTo(metrics);
        assertThat(OtlpJsonDecoder.<ExportLogsServiceRequest>decode(bytes(logs, protoFieldNames),
                ExportLogsServiceRequest.newBuilder())).isEqualTo(logs);
    }

    private static byte[] bytes(com.google.protobuf.Message message, boolean protoFieldNames) throws Exception {
        return OtlpJsonText.of(message, protoFieldNames).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decode_integersAsNumbersOrStrings_andEnumsByNameOrNumber() throws Exception {
        Span span = traces(spanJson("\"startTimeUnixNano\":1544712660000000000,\"endTimeUnixNano\":\"1544712661000000000\","
                + "\"kind\":\"SPAN_KIND_CLIENT\",\"status\":{\"code\":2},\"flags\":\"4294967295\","
                + "\"droppedAttributesCount\":3.0"))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
        assertThat(span.getFlags()).isEqualTo(-1); // fixed32 0xFFFFFFFF
        assertThat(span.getDroppedAttributesCount()).isEqualTo(3);
    }

    @Test
    void decode_unknownEnumNumber_isKept() throws Exception {
        Span span = traces(spanJson("\"kind\":42,\"status\":{\"code\":9}"))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);

        assertThat(span.getKindValue()).isEqualTo(42);
        assertThat(span.getStatus().getCodeValue()).isEqualTo(9);
    }

    @Test
    void decode_unknownEnumName_failsNamingTheField() {
        assertThatThrownBy(() -> traces(spanJson("\"kind\":\"SPAN_KIND_SIDEWAYS\"")))
                .isInstanceOf(OtlpRequestException.class)
                .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].kind")
                .hasMessageContaining("SPAN_KIND_SIDEWAYS")
                .hasMessageContaining("SPAN_KIND_SERVER");
    }

    @Test
    void decode_unknownFields_areIgnored() throws Exception {
        ExportTraceServiceRequest request = traces("{\"future\":{\"a\":[1,{\"b\":null}]},\"resourceSpans\":[{"
                + "\"scopeSpans\":[{\"spans\":[{\"name\":\"x\",\"newField\":[true]}]}],\"other\":1}]}");

        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("x");
    }

    @Test
    void decode_specialDoublesAndBytes() throws Exception {
        ExportLogsServiceRequest request = OtlpJsonDecoder.decode(("{\"resourceLogs\":[{\"scopeLogs\":[{"
                + "\"logRecords\":[{\"attributes\":[{\"key\":\"d\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
                + "{\"key\":\"b\",\"value\":{\"bytesValue\":\"AQID\"}},"
                + "{\"key\":\"u\",\"value\":{\"bytesValue\":\"-_8\"}}]}]}]}]}").getBytes(StandardCharsets.UTF_8),
                ExportLogsServiceRequest.newBuilder());

        var attributes = request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getAttributesList();
        assertThat(attributes.get(0).getValue().getDoubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(attributes.get(1).getValue().getBytesValue().toByteArray()).containsExactly(1, 2, 3);
        assertThat(attributes.get(2).getValue().getBytesValue().toByteArray()).containsExactly(0xfb, 0xff);
    }

    @Test
    void decode_idInBase64_failsAsNotHex() {
        assertThatThrownBy(() -> traces(spanJson("\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\"")))
                .isInstanceOf(OtlpRequestException.class)
                .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId")
                .hasMessageContaining("not base64");
    }

    @Test
    void decode_malformedJson_failsWithPosition() {
        assertThatThrownBy(() -> traces("{\"resourceSpans\":[{\"scopeSpans\":[{"))
                .isInstanceOf(OtlpRequestException.class)
                .hasMessageStartingWith("invalid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> traces("[]")).hasMessageContaining("expected an object at the top level");
        assertThatThrownBy(() -> traces("")).hasMessageContaining("empty body");
        assertThatThrownBy(() -> traces("{} {}")).hasMessageContaining("after the top-level object");
    }

    @Test
    void decode_wrongValueTypes_failWithPath() {
        assertThatThrownBy(() -> traces(spanJson("\"startTimeUnixNano\":\"soon\"")))
                .hasMessageContaining("spans[0].startTimeUnixNano: expected an integer");
        assertThatThrownBy(() -> traces(spanJson("\"name\":5"))).hasMessageContaining("expected a string");
        assertThatThrownBy(() -> traces(spanJson("\"droppedAttributesCount\":4294967296")))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> traces("{\"resourceSpans\":{}}")).hasMessageContaining("expected an array");
    }

    @Test
    void decode_deeplyNestedValues_areRefused() {
        String nested = "{\"arrayValue\":{\"values\":[".repeat(120) + "]}}".repeat(120);
        String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + nested + "}]}]}]}";

        assertThatThrownBy(() -> OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8),
                ExportLogsServiceRequest.newBuilder()))
                .isInstanceOf(OtlpRequestException.class)
                .hasMessageContaining("nesting");
    }
}
