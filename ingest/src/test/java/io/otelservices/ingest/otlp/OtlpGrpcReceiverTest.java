package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub;
import io.otelservices.ingest.testing.OtlpFixtures;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP/gRPC receiver spoken to by a real gRPC client (Armeria's, over HTTP/2 with gRPC framing): the status
 * code of every answer the OTLP specification names, and that nothing accepted before a bad request is lost.
 */
class OtlpGrpcReceiverTest {

    @TempDir
    Path dir;

    private ReceiverTestServer server;
    private TraceServiceBlockingStub traces;

    @BeforeEach
    void start() {
        startServer(new RecordingBatchWriter(), 200_000);
        // Accepted before every test's own request; it must be stored exactly once whatever follows.
        assertThat(traces.export(OtlpFixtures.manySpans(2, 100)).hasPartialSuccess()).isFalse();
    }

    private void startServer(RecordingBatchWriter writer, int maxQueuedItems) {
        try {
            server = new ReceiverTestServer(dir.resolve("wal-" + System.nanoTime()), writer, maxQueuedItems);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        traces = stub(TraceServiceBlockingStub.class);
    }

    private <T> T stub(Class<T> type) {
        return GrpcClients.builder(server.uri())
                .responseTimeout(Duration.ofSeconds(10))
                .maxResponseLength(0)
                .build(type);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The server still takes a good request, and everything accepted so far is stored exactly once. */
    private void assertStillServesAndStoredOnce(int spansAcceptedInTheTest) {
        assertThat(traces.export(OtlpFixtures.manySpans(1, 200)).hasPartialSuccess()).isFalse();
        server.awaitStoredSpans(2 + spansAcceptedInTheTest + 1);
    }

    private static StatusRuntimeException failure(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run);
    }

    @Test
    void export_allSignals_okAndStored() {
        ExportTraceServiceResponse tracesResponse = traces.export(OtlpFixtures.richTraces());
        ExportLogsServiceResponse logsResponse = stub(LogsServiceGrpc.LogsServiceBlockingStub.class)
                .export(OtlpFixtures.richLogs());
        ExportMetricsServiceResponse metricsResponse = stub(MetricsServiceGrpc.MetricsServiceBlockingStub.class)
                .export(OtlpFixtures.richMetrics());

        assertThat(tracesResponse.hasPartialSuccess()).isFalse();
        assertThat(logsResponse.hasPartialSuccess()).isFalse();
        assertThat(metricsResponse.hasPartialSuccess()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.writer.logs().isEmpty()
                && !server.writer.metricPoints().isEmpty());
        assertThat(server.writer.logs()).hasSize(OtlpFixtures.richLogs().getResourceLogs(0).getScopeLogs(0)
                .getLogRecordsCount());
        assertStillServesAndStoredOnce(1);
    }

    @Test
    void export_gzipCompressed_ok() {
        ExportTraceServiceResponse response = traces.withCompression("gzip").export(OtlpFixtures.manySpans(5, 7));

        assertThat(response.hasPartialSuccess()).isFalse();
        assertStillServesAndStoredOnce(5);
    }

    @Test
    void export_someInvalidSpans_okWithPartialSuccess() {
        io.opentelemetry.proto.trace.v1.Span noTraceId =
                OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX, "00000000000000a2").toBuilder().clearTraceId().build();

        ExportTraceServiceResponse response = traces.export(OtlpFixtures.traces(
                OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX, "00000000000000a1"), noTraceId));

        assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage())
                .contains("resource_spans[0].scope_spans[0].spans[1]").contains("trace_id");
        assertStillServesAndStoredOnce(1);
    }

    @Test
    void export_idOfWrongLength_invalidArgumentNamingWhere() {
        ExportTraceServiceRequest request = OtlpFixtures.traces(OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX).toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})).build());

        StatusRuntimeException error = failure(() -> traces.export(request));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription())
                .isEqualTo("resource_spans[0].scope_spans[0].spans[0].span_id: 3 bytes (expected: 8)");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void export_overMaxRequestBytes_resourceExhausted() {
        ExportTraceServiceRequest big = OtlpFixtures.traces(OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX).toBuilder()
                .setName("x".repeat((int) ReceiverTestServer.MAX_REQUEST_BYTES + 1)).build());

        StatusRuntimeException error = failure(() -> traces.export(big));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void export_truncatedProtobufFrame_failsWithoutStoringAnything() {
        byte[] message = OtlpFixtures.richTraces().toByteArray();
        byte[] truncated = Arrays.copyOf(message, message.length / 2);
        // A well-formed gRPC frame (uncompressed flag, big-endian length) around a cut-off protobuf message.
        ByteBuffer frame = ByteBuffer.allocate(5 + truncated.length).put((byte) 0).putInt(truncated.length)
                .put(truncated);
        AggregatedHttpResponse response = WebClient.of(server.uri()).execute(
                RequestHeaders.builder(HttpMethod.POST, "/" + TraceServiceGrpc.SERVICE_NAME + "/Export")
                        .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc+proto"))
                        .add("te", "trailers").build(),
                HttpData.wrap(frame.array())).aggregate().join();

        String grpcStatus = response.trailers().get("grpc-status", response.headers().get("grpc-status"));
        assertThat(grpcStatus).as("grpc-status of %s", response).isNotNull().isNotEqualTo("0");
        assertStillServesAndStoredOnce(0);
    }

    @Test
    void export_overloaded_unavailableWithRetryInfo() {
        server.close();
        RecordingBatchWriter held = new RecordingBatchWriter().hold();
        startServer(held, 3);
        assertThat(traces.export(OtlpFixtures.manySpans(3, 1)).hasPartialSuccess()).isFalse();

        StatusRuntimeException refused = failure(() -> traces.export(OtlpFixtures.manySpans(1, 2)));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        com.google.rpc.Status status = StatusProto.fromThrowable(refused);
        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
        assertThat(status.getDetailsList()).anySatisfy(detail -> assertThat(
                detail.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1));

        held.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pipeline.queuedItems() == 0);
        assertThat(traces.export(OtlpFixtures.manySpans(1, 3)).hasPartialSuccess()).isFalse();
        server.awaitStoredSpans(4);
    }
}
