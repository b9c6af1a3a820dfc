package io.otelservices.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/gRPC through Armeria's gRPC client. The channel comes from a generated {@code TraceServiceGrpc} stub built by
 * {@link GrpcClients}; calls use the generated services' method names with a pass-through byte marshaller, so the
 * pre-encoded request bytes go on the wire as they are (no re-encoding per send).
 */
final class OtlpGrpcExportClient implements ExportClient {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read gRPC response", e);
            }
        }
    };

    private final Channel channel;
    private final Map<Signal, MethodDescriptor<byte[], byte[]>> methods = new EnumMap<>(Signal.class);

    OtlpGrpcExportClient(String endpoint, ClientFactory factory) {
        channel = GrpcClients.builder(endpoint)
                .factory(factory)
                .responseTimeout(Duration.ofSeconds(60))
                .maxRequestMessageLength(64 << 20)
                .maxResponseMessageLength(16 << 20)
                .build(TraceServiceGrpc.TraceServiceStub.class)
                .getChannel();
        methods.put(Signal.TRACES, bytesMethod(TraceServiceGrpc.getExportMethod().getFullMethodName()));
        methods.put(Signal.LOGS, bytesMethod(LogsServiceGrpc.getExportMethod().getFullMethodName()));
        methods.put(Signal.METRICS, bytesMethod(MetricsServiceGrpc.getExportMethod().getFullMethodName()));
    }

    private static MethodDescriptor<byte[], byte[]> bytesMethod(String fullName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    @Override
    public CompletableFuture<ExportResult> export(Signal signal, byte[] body) {
        CompletableFuture<ExportResult> result = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(methods.get(signal), CallOptions.DEFAULT), body,
                new StreamObserver<>() {
                    private byte[] response;

                    @Override
                    public void onNext(byte[] value) {
                        response = value;
                    }

                    @Override
                    public void onError(Throwable error) {
                        result.complete(classify(error));
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(accepted(signal, response));
                    }
                });
        return result;
    }

    private static ExportResult accepted(Signal signal, byte[] response) {
        if (response == null || response.length == 0) {
            return ExportResult.ACCEPTED;
        }
        try {
            return ExportResult.accepted(switch (signal) {
                case TRACES -> ExportTraceServiceResponse.parseFrom(response).getPartialSuccess().getRejectedSpans();
                case LOGS -> ExportLogsServiceResponse.parseFrom(response).getPartialSuccess().getRejectedLogRecords();
                case METRICS -> ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess()
                        .getRejectedDataPoints();
            });
        } catch (InvalidProtocolBufferException e) {
            return ExportResult.failed("undecodable response: " + e.getMessage());
        }
    }

    /** OTLP specification, "OTLP/gRPC Throttling" and "Failures": which codes are retryable. */
    static ExportResult classify(Throwable error) {
        Status status = Status.fromThrowable(error);
        long hint = -1;
        if (error instanceof StatusRuntimeException) {
            com.google.rpc.Status details = StatusProto.fromThrowable(error);
            if (details != null) {
                for (com.google.protobuf.Any detail : details.getDetailsList()) {
                    if (detail.is(RetryInfo.class)) {
                        try {
                            com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
                            hint = delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000;
                        } catch (InvalidProtocolBufferException ignored) {
                            // a malformed detail is no hint
                        }
                    }
                }
            }
        }
        String detail = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case UNAVAILABLE -> status.getCause() != null && hint < 0
                    ? ExportResult.transport(detail) : ExportResult.refused(hint, detail);
            case RESOURCE_EXHAUSTED -> hint >= 0 ? ExportResult.refused(hint, detail) : ExportResult.failed(detail);
            case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, DATA_LOSS -> ExportResult.transport(detail);
            default -> ExportResult.failed(detail);
        };
    }

    @Override
    public void close() {
        // The shared ClientFactory owns the connections.
    }
}
