package io.otelservices.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/HTTP with binary protobuf bodies ({@code application/x-protobuf}) through Armeria's {@link WebClient}; also
 * the Zipkin v2 JSON sender ({@link #zipkin}). Retryable answers follow the OTLP specification, "OTLP/HTTP
 * Throttling": 429, 502, 503, 504, with {@code Retry-After} in seconds as the hint.
 */
final class OtlpHttpExportClient implements ExportClient {

    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

    private final WebClient client;
    private final boolean zipkin;

    private OtlpHttpExportClient(String endpoint, ClientFactory factory, boolean zipkin) {
        this.client = WebClient.builder(endpoint)
                .factory(factory)
                .responseTimeout(Duration.ofSeconds(60))
                .maxResponseLength(16 << 20)
                .build();
        this.zipkin = zipkin;
    }

    static OtlpHttpExportClient otlp(String endpoint, ClientFactory factory) {
        return new OtlpHttpExportClient(endpoint, factory, false);
    }

    /** Zipkin's {@code POST /api/v2/spans} with a JSON list of spans; 202 is success. */
    static OtlpHttpExportClient zipkin(String endpoint, ClientFactory factory) {
        return new OtlpHttpExportClient(endpoint, factory, true);
    }

    @Override
    public CompletableFuture<ExportResult> export(Signal signal, byte[] body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, zipkin ? "/api/v2/spans" : signal.httpPath())
                .contentType(zipkin ? MediaType.JSON : PROTOBUF)
                .build();
        return client.execute(HttpRequest.of(headers, HttpData.wrap(body))).aggregate()
                .handle((response, error) -> error != null
                        ? ExportResult.transport(error.getClass().getSimpleName() + ": " + error.getMessage())
                        : classify(signal, response));
    }

    private ExportResult classify(Signal signal, AggregatedHttpResponse response) {
        int status = response.status().code();
        if (status >= 200 && status < 300) {
            if (zipkin || response.content().isEmpty()) {
                return ExportResult.ACCEPTED;
            }
            try {
                byte[] bytes = response.content().array();
                return ExportResult.accepted(switch (signal) {
                    case TRACES -> ExportTraceServiceResponse.parseFrom(bytes).getPartialSuccess().getRejectedSpans();
                    case LOGS -> ExportLogsServiceResponse.parseFrom(bytes).getPartialSuccess().getRejectedLogRecords();
                    case METRICS -> ExportMetricsServiceResponse.parseFrom(bytes).getPartialSuccess()
                            .getRejectedDataPoints();
                });
            } catch (InvalidProtocolBufferException e) {
                return ExportResult.failed("undecodable response: " + e.getMessage());
            }
        }
        String detail = status + " " + truncate(response.contentUtf8());
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            return ExportResult.refused(retryAfterMillis(response.headers().get(HttpHeaderNames.RETRY_AFTER)), detail);
        }
        return ExportResult.failed(detail);
    }

    /** {@code Retry-After} in delay-seconds; an HTTP date or nothing gives no hint (-1). */
    static long retryAfterMillis(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return (long) (Double.parseDouble(value.trim()) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String truncate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        // The shared ClientFactory owns the connections.
    }
}
