package io.otelservices.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.ServerBuilder;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;

/**
 * The Prometheus remote-write 1.0 receiver: {@code POST /api/v1/write}, a snappy-compressed (block format)
 * protobuf {@code prometheus.WriteRequest}, stored as metric points through the ingest pipeline (write-ahead log,
 * batches, backpressure) like OTLP. The mapping is {@link WriteRequestConverter}'s, the answers
 * {@link RemoteWriteAnswers}'; docs/INGEST.md has both.
 */
public final class RemoteWriteReceiver {

    /** The endpoint's path, as Prometheus' own receiver has it. */
    public static final String PATH = "/api/v1/write";

    private RemoteWriteReceiver() {}

    /** {@link #addTo(ServerBuilder, IngestPipeline, IngestConfig, RemoteWriteConfig)} with the defaults. */
    public static void addTo(ServerBuilder sb, IngestPipeline pipeline, IngestConfig config) {
        addTo(sb, pipeline, config, RemoteWriteConfig.DEFAULT);
    }

    /**
     * Adds the endpoint to {@code sb}, with a request length limit of {@link IngestConfig#maxRequestBytes()}, which
     * also bounds the decompressed body.
     */
    public static void addTo(ServerBuilder sb, IngestPipeline pipeline, IngestConfig config,
            RemoteWriteConfig remoteWriteConfig) {
        requireNonNull(sb, "sb");
        requireNonNull(pipeline, "pipeline");
        requireNonNull(config, "config");
        requireNonNull(remoteWriteConfig, "remoteWriteConfig");
        SampleTracker tracker = new SampleTracker(remoteWriteConfig.maxTrackedSeries());
        MetricFamilies families = new MetricFamilies(remoteWriteConfig.maxMetricFamilies());
        RemoteWriteMetrics metrics = new RemoteWriteMetrics(pipeline.meterRegistry(), tracker, families);
        sb.route()
                .path(PATH)
                .maxRequestLength(config.maxRequestBytes())
                .build(new RemoteWriteService(pipeline, config.maxRequestBytes(), tracker, families, metrics));
    }
}
