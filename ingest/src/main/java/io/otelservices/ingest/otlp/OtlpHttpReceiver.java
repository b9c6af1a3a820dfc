package io.otelservices.ingest.otlp;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.ServerBuilder;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.Signal;

/**
 * The OTLP/HTTP receiver: {@code POST /v1/traces}, {@code /v1/metrics} and {@code /v1/logs}, protobuf or JSON,
 * optionally gzip-compressed (OTLP specification, "OTLP/HTTP"). Answers are listed in {@link HttpAnswers}.
 */
public final class OtlpHttpReceiver {

    private OtlpHttpReceiver() {}

    /**
     * Adds the three endpoints to {@code sb}, each with a request length limit of
     * {@link IngestConfig#maxRequestBytes()}.
     */
    public static void addTo(ServerBuilder sb, IngestPipeline pipeline, IngestConfig config) {
        requireNonNull(sb, "sb");
        requireNonNull(pipeline, "pipeline");
        requireNonNull(config, "config");
        ExportProcessor processor = new ExportProcessor(pipeline);
        for (Signal signal : Signal.values()) {
            sb.route()
                    .path(signal.httpPath())
                    .maxRequestLength(config.maxRequestBytes())
                    .build(new OtlpHttpService(signal, processor, config.maxRequestBytes()));
        }
    }
}
