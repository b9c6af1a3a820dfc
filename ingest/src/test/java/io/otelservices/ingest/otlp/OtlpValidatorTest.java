package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelservices.ingest.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;

class OtlpValidatorTest {

    private static Span good(String spanIdHex) {
        return OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX, spanIdHex);
    }

    @Test
    void traces_allValid_returnsTheSameRequest() throws Exception {
        ExportTraceServiceRequest request = OtlpFixtures.richTraces();

        OtlpValidator.Validated<ExportTraceServiceRequest> validated = OtlpValidator.traces(request);

        assertThat(validated.request()).isSameAs(request);
        assertThat(validated.rejected()).isZero();
        assertThat(validated.errorMessage()).isEmpty();
    }

    @Test
    void traces_emptyOrZeroIds_rejectedOneByOne() throws Exception {
        Span noTraceId = good("0000000000000001").toBuilder().clearTraceId().build();
        Span zeroSpanId = good("0000000000000002").toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build();
        ExportTraceServiceRequest request = OtlpFixtures.traces(good("00000000000000a1"), noTraceId,
                good("00000000000000a2"), zeroSpanId);

        OtlpValidator.Validated<ExportTraceServiceRequest> validated = OtlpValidator.traces(request);

        assertThat(validated.rejected()).isEqualTo(2);
        assertThat(validated.request().getResourceSpans(0).getScopeSpans(0).getSpansList())
                .extracting(s -> s.getSpanId()).containsExactly(OtlpFixtures.id("00000000000000a1"),
                        OtlpFixtures.id("00000000000000a2"));
        assertThat(validated.errorMessage()).isEqualTo("2 spans rejected: 1 with an empty or all-zero trace_id "
                + "(first: resource_spans[0].scope_spans[0].spans[1]); 1 with an empty or all-zero span_id "
                + "(first: resource_spans[0].scope_spans[0].spans[3])");
        assertThat(validated.rejectedByReason()).containsEntry(OtlpValidator.REASON_INVALID_TRACE_ID, 1L)
                .containsEntry(OtlpValidator.REASON_INVALID_SPAN_ID, 1L);
    }

    @Test
    void traces_wrongLengthId_failsTheWholeRequestNamingThePlace() {
        Span bad = good("00000000000000b1").toBuilder().setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5}))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(good("00000000000000b2")))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(good("00000000000000b3"))
                                .addSpans(good("00000000000000b4")).addSpans(good("00000000000000b5"))
                                .addSpans(bad)))
                .build();

        assertThatThrownBy(() -> OtlpValidator.traces(request))
                .isInstanceOf(OtlpRequestException.class)
                .hasMessage("resource_spans[0].scope_spans[1].spans[3].trace_id: 5 bytes (expected: 16)");
    }

    @Test
    void traces_wrongLengthParentOrLinkId_failTheRequest() {
        Span badParent = good("00000000000000c1").toBuilder().setParentSpanId(ByteString.copyFrom(new byte[4]))
                .build();
        assertThatThrownBy(() -> OtlpValidator.traces(OtlpFixtures.traces(badParent)))
                .hasMessage("resource_spans[0].scope_spans[0].spans[0].parent_span_id: 4 bytes (expected: 8 or none)");

        Span badLink = good("00000000000000c2").toBuilder().setLinks(0, good("00000000000000c2").getLinks(0)
                .toBuilder().setSpanId(ByteString.copyFrom(new byte[9]))).build();
        assertThatThrownBy(() -> OtlpValidator.traces(OtlpFixtures.traces(badLink)))
                .hasMessage("resource_spans[0].scope_spans[0].spans[0].links[0].span_id: 9 bytes (expected: 8 or none)");
    }

    @Test
    void logs_idsMayBeEmpty_butNotOfWrongLength() throws Exception {
        assertThat(OtlpValidator.logs(OtlpFixtures.richLogs()).rejected()).isZero();

        ExportLogsServiceRequest bad = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(LogRecord.newBuilder())
                        .addLogRecords(LogRecord.newBuilder().setSpanId(ByteString.copyFrom(new byte[3])))))
                .build();
        assertThatThrownBy(() -> OtlpValidator.logs(bad))
                .hasMessage("resource_logs[0].scope_logs[0].log_records[1].span_id: 3 bytes (expected: 8 or none)");
    }

    @Test
    void metrics_namelessMetric_pointsRejected() throws Exception {
        ExportMetricsServiceRequest rich = OtlpFixtures.richMetrics();
        ScopeMetrics scope = rich.getResourceMetrics(0).getScopeMetrics(0);
        Metric nameless = scope.getMetrics(2).toBuilder().clearName().build(); // histogram, 1 point
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope.toBuilder()
                        .addMetrics(nameless)))
                .build();

        OtlpValidator.Validated<ExportMetricsServiceRequest> validated = OtlpValidator.metrics(request);

        assertThat(validated.rejected()).isEqualTo(1);
        assertThat(validated.errorMessage()).isEqualTo("1 data points rejected: 1 data points of a metric without a "
                + "name (first: resource_metrics[0].scope_metrics[0].metrics[5])");
        assertThat(validated.request().getResourceMetrics(0).getScopeMetrics(0).getMetricsCount()).isEqualTo(5);
    }

    @Test
    void metrics_wrongLengthExemplarId_failsTheRequest() {
        ExportMetricsServiceRequest rich = OtlpFixtures.richMetrics();
        ScopeMetrics scope = rich.getResourceMetrics(0).getScopeMetrics(0);
        Metric gauge = scope.getMetrics(0);
        Metric bad = gauge.toBuilder().setGauge(gauge.getGauge().toBuilder().setDataPoints(0,
                gauge.getGauge().getDataPoints(0).toBuilder().setExemplars(0,
                        OtlpFixtures.exemplar().toBuilder().setTraceId(ByteString.copyFrom(new byte[15]))))).build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(bad)))
                .build();

        assertThatThrownBy(() -> OtlpValidator.metrics(request)).hasMessage(
                "resource_metrics[0].scope_metrics[0].metrics[0].gauge.data_points[0].exemplars[0].trace_id: "
                        + "15 bytes (expected: 16 or none)");
    }
}
