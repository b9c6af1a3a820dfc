package io.otelservices.ingest.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.Signal;
import io.otelservices.ingest.TelemetryItems;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What both receivers do with a decoded request: validate, convert, hand to the pipeline, and build the
 * {@code Export*ServiceResponse} (with {@code partial_success} when items were rejected). Thread-safe.
 */
final class ExportProcessor {

    private final IngestPipeline pipeline;

    ExportProcessor(IngestPipeline pipeline) {
        this.pipeline = requireNonNull(pipeline, "pipeline");
    }

    /** Decodes a request body of the given format. */
    Message decode(Signal signal, BodyFormat format, byte[] body) throws OtlpRequestException {
        if (format == BodyFormat.JSON) {
            Message.Builder builder = switch (signal) {
                case TRACES -> ExportTraceServiceRequest.newBuilder();
                case METRICS -> ExportMetricsServiceRequest.newBuilder();
                case LOGS -> ExportLogsServiceRequest.newBuilder();
            };
            return OtlpJsonDecoder.decode(body, builder);
        }
        try {
            return switch (signal) {
                case TRACES -> ExportTraceServiceRequest.parseFrom(body);
                case METRICS -> ExportMetricsServiceRequest.parseFrom(body);
                case LOGS -> ExportLogsServiceRequest.parseFrom(body);
            };
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpRequestException(OtlpRequestException.Kind.BAD_DATA,
                    "cannot decode OTLP " + signal.tagValue() + " request of " + body.length + " bytes as protobuf: "
                            + e.getMessage(), e);
        }
    }

    /**
     * Validates, converts and submits a request; the future completes with the response once the accepted items
     * are durable.
     *
     * @param protobufBody the request's original protobuf bytes, reused for the write-ahead log when nothing was
     *     rejected; {@code null} to encode the request
     * @throws OtlpRequestException when the whole request is invalid
     */
    CompletableFuture<Message> export(Signal signal, Message request, byte[] protobufBody)
            throws OtlpRequestException {
        OtlpValidator.Validated<? extends Message> validated = switch (signal) {
            case TRACES -> OtlpValidator.traces((ExportTraceServiceRequest) request);
            case METRICS -> OtlpValidator.metrics((ExportMetricsServiceRequest) request);
            case LOGS -> OtlpValidator.logs((ExportLogsServiceRequest) request);
        };
        for (Map.Entry<String, Long> entry : validated.rejectedByReason().entrySet()) {
            pipeline.rejected(signal, entry.getKey(), entry.getValue());
        }
        Message accepted = validated.request();
        TelemetryItems items = switch (signal) {
            case TRACES -> OtlpConverter.traces((ExportTraceServiceRequest) accepted);
            case METRICS -> OtlpConverter.metrics((ExportMetricsServiceRequest) accepted);
            case LOGS -> OtlpConverter.logs((ExportLogsServiceRequest) accepted);
        };
        byte[] payload = protobufBody != null && accepted == request ? protobufBody : accepted.toByteArray();
        Message response = response(signal, validated.rejected(), validated.errorMessage());
        return pipeline.submit(signal, payload, items).thenApply(ignored -> response);
    }

    /** Counts a request refused as a whole, on {@code otel.rejected.requests{signal,reason}}. */
    void requestRejected(Signal signal, String reason) {
        Counter.builder("otel.rejected.requests")
                .description("Requests refused as a whole, by signal and reason")
                .tag("signal", signal.tagValue())
                .tag("reason", reason)
                .register(pipeline.meterRegistry())
                .increment();
    }

    static Message response(Signal signal, long rejected, String errorMessage) {
        if (rejected == 0 && errorMessage.isEmpty()) {
            return switch (signal) {
                case TRACES -> ExportTraceServiceResponse.getDefaultInstance();
                case METRICS -> ExportMetricsServiceResponse.getDefaultInstance();
                case LOGS -> ExportLogsServiceResponse.getDefaultInstance();
            };
        }
        return switch (signal) {
            case TRACES -> ExportTraceServiceResponse.newBuilder()
                    .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(rejected).setErrorMessage(errorMessage))
                    .build();
            case METRICS -> ExportMetricsServiceResponse.newBuilder()
                    .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                            .setRejectedDataPoints(rejected).setErrorMessage(errorMessage))
                    .build();
            case LOGS -> ExportLogsServiceResponse.newBuilder()
                    .setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                            .setRejectedLogRecords(rejected).setErrorMessage(errorMessage))
                    .build();
        };
    }
}
