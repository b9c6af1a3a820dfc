package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.testing.RecordingBatchWriter;
import io.otelservices.model.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/** An Armeria server on port 0 with both receivers in front of a pipeline and a recording writer. */
final class ReceiverTestServer implements AutoCloseable {

    static final long MAX_REQUEST_BYTES = 256 * 1024;

    final RecordingBatchWriter writer;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final IngestConfig config;
    final IngestPipeline pipeline;
    final Server server;

    ReceiverTestServer(Path walDirectory, RecordingBatchWriter writer, int maxQueuedItems) throws IOException {
        this.writer = writer;
        this.config = IngestConfig.defaults(walDirectory)
                .withMaxRequestBytes(MAX_REQUEST_BYTES)
                .withBatch(1000, Duration.ofMillis(20))
                .withMaxQueuedItems(maxQueuedItems);
        this.pipeline = IngestPipeline.open(config, writer, meters);
        ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .connectionDrainDuration(Duration.ZERO);
        OtlpHttpReceiver.addTo(sb, pipeline, config);
        sb.service(OtlpGrpcReceiver.service(pipeline, config));
        sb.blockingTaskExecutor(java.util.concurrent.Executors.newScheduledThreadPool(4), true);
        this.server = sb.build();
        server.start().join();
    }

    String uri() {
        return "http://127.0.0.1:" + server.activeLocalPort();
    }

    /** Waits until storage holds exactly {@code spans} spans, none twice. */
    void awaitStoredSpans(int spans) {
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.spans().size() >= spans);
        // Give a duplicate, if any, the chance to show up.
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(writer.spans()).hasSize(spans);
        assertThat(writer.spans()).extracting(Span::spanId).doesNotHaveDuplicates();
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // Not joined: stop() completes only after Netty's fixed 2 s quiet period for the server's boss event
        // loop; requests that still arrive are refused by the closed pipeline.
        server.stop();
        pipeline.close(Duration.ofSeconds(2));
    }
}
