package io.otelservices.ingest.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.IngestUnavailableException;
import io.otelservices.ingest.Signal;
import io.otelservices.ingest.logging.LogThrottle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/gRPC receiver: {@code TraceService}, {@code MetricsService} and {@code LogsService} {@code Export}
 * (OTLP specification, "OTLP/gRPC"); Armeria handles {@code grpc-encoding: gzip}. Answers:
 * <pre>
 * success, or some items rejected       OK with partial_success in the response
 * malformed or invalid request          INVALID_ARGUMENT
 * message too large (also decompressed) RESOURCE_EXHAUSTED (from Armeria)
 * overloaded, log failing, shutting down UNAVAILABLE with a google.rpc.RetryInfo detail
 * anything else (a bug)                 INTERNAL
 * </pre>
 * Requests run on the blocking task executor, never on an event loop.
 */
public final class OtlpGrpcReceiver {

    private static final Logger log = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
    private static final LogThrottle internalErrorLog = new LogThrottle(Duration.ofSeconds(10));

    private OtlpGrpcReceiver() {}

    /** The gRPC service to add to a server with {@code ServerBuilder.service(...)}. */
    public static HttpServiceWithRoutes service(IngestPipeline pipeline, IngestConfig config) {
        requireNonNull(pipeline, "pipeline");
        requireNonNull(config, "config");
        ExportProcessor processor = new ExportProcessor(pipeline);
        return GrpcService.builder()
                .addService(definition(TraceServiceGrpc.getExportMethod(), Signal.TRACES, processor))
                .addService(definition(MetricsServiceGrpc.getExportMethod(), Signal.METRICS, processor))
                .addService(definition(LogsServiceGrpc.getExportMethod(), Signal.LOGS, processor))
                .maxRequestMessageLength((int) config.maxRequestBytes())
                .useBlockingTaskExecutor(true)
                .build();
    }

    /**
     * The generated service's {@code Export} method with a request marshaller that keeps the message's bytes: the
     * receiver decodes them itself and writes the same bytes to the write-ahead log, instead of encoding the
     * parsed message again (that re-encoding was ~20 % of the request-side CPU).
     */
    private static <Q, R> ServerServiceDefinition definition(MethodDescriptor<Q, R> generated, Signal signal,
            ExportProcessor processor) {
        MethodDescriptor<byte[], R> method = generated.toBuilder(RawBytesMarshaller.INSTANCE,
                generated.getResponseMarshaller()).build();
        ServerCallHandler<byte[], R> handler = ServerCalls.asyncUnaryCall(
                (body, observer) -> export(processor, signal, body, observer));
        return ServerServiceDefinition.builder(generated.getServiceName())
                .addMethod(method, handler)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <T> void export(ExportProcessor processor, Signal signal, byte[] body,
            StreamObserver<T> observer) {
        CompletableFuture<Message> response;
        try {
            Message request = processor.decode(signal, BodyFormat.PROTOBUF, body);
            response = processor.export(signal, request, body);
        } catch (OtlpRequestException | RuntimeException e) {
            observer.onError(statusException(processor, signal, e));
            return;
        }
        response.whenComplete((message, error) -> {
            if (error != null) {
                observer.onError(statusException(processor, signal, error));
            } else {
                observer.onNext((T) message);
                observer.onCompleted();
            }
        });
    }

    /** Request bodies as they came, after gRPC's framing and decompression. */
    private enum RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("cannot read request: " + e.getMessage()).withCause(e)
                        .asRuntimeException();
            }
        }
    }

    /** The gRPC status of a failure; the one place that maps error categories to codes for gRPC. */
    static StatusRuntimeException statusException(ExportProcessor processor, Signal signal, Throwable error) {
        Throwable cause = Exceptions.peel(error);
        if (cause instanceof OtlpRequestException rejected) {
            processor.requestRejected(signal, rejected.kind().tagValue());
            Status status = rejected.kind() == OtlpRequestException.Kind.TOO_LARGE
                    ? Status.RESOURCE_EXHAUSTED
                    : Status.INVALID_ARGUMENT;
            return status.withDescription(rejected.getMessage()).asRuntimeException();
        }
        if (cause instanceof IngestUnavailableException unavailable) {
            com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                    .setCode(Code.UNAVAILABLE_VALUE)
                    .setMessage(unavailable.getMessage())
                    .addDetails(com.google.protobuf.Any.pack(HttpAnswers.retryInfo(unavailable.retryAfter())))
                    .build();
            return StatusProto.toStatusRuntimeException(status);
        }
        long suppressed = internalErrorLog.tryAcquire();
        if (suppressed >= 0) {
            log.atError().setCause(cause).addKeyValue("signal", signal.tagValue())
                    .addKeyValue("suppressed", suppressed).log("OTLP/gRPC export failed");
        }
        return Status.INTERNAL.withDescription("internal error: " + cause.getClass().getSimpleName())
                .asRuntimeException();
    }
}
