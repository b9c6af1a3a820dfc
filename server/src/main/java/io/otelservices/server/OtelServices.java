package io.otelservices.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.otlp.OtlpGrpcReceiver;
import io.otelservices.ingest.otlp.OtlpHttpReceiver;
import io.otelservices.query.rest.RestApi;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.duckdb.DuckDbConfig;
import io.otelservices.storage.duckdb.DuckDbStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the all-in-one process: opens embedded storage, replays and starts the ingest pipeline,
 * and binds the OTLP receivers, the query API and the health and metrics endpoints on their ports
 * (DESIGN.md §2). {@link #close()} shuts down in the reverse order so that acknowledged data reaches storage.
 */
public final class OtelServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtelServices.class);

    private final SelfMetrics metrics;
    private final StorageBackend storage;
    private final IngestPipeline pipeline;
    private final Server otlpGrpcServer;
    private final Server otlpHttpServer;
    private final Server collectorServer;
    private final Server queryServer;
    private final Server metricsServer;
    private final Server queryMetricsServer;
    private final BoundPorts ports;
    private boolean closed;

    private OtelServices(ServerConfig config, Clock clock) throws IOException {
        metrics = new SelfMetrics();
        Files.createDirectories(config.dataDirectory());
        storage = DuckDbStorage.open(new DuckDbConfig(
                config.dataDirectory(), config.duckDb().memoryLimit(), config.duckDb().readerThreads()));
        ServerConfig.Ingest ingest = config.ingest();
        IngestConfig ingestConfig = new IngestConfig(
                config.dataDirectory().resolve("wal"), ingest.maxRequestBytes(), ingest.batchMaxItems(),
                ingest.batchMaxDelay(), ingest.walSegmentBytes(), ingest.maxQueuedItems());
        pipeline = IngestPipeline.open(ingestConfig, storage.writer(), metrics.registry());
        HealthEndpoints health = new HealthEndpoints(storage, pipeline::isReady);
        ServerConfig.Ports p = config.ports();

        otlpGrpcServer = start(newServer(p.otlpGrpc(), ingest.maxRequestBytes())
                .service(OtlpGrpcReceiver.service(pipeline, ingestConfig)));
        ServerBuilder http = newServer(p.otlpHttp(), ingest.maxRequestBytes());
        OtlpHttpReceiver.addTo(http, pipeline, ingestConfig);
        otlpHttpServer = start(http);

        ServerBuilder collector = newServer(p.collectorHttp(), 0);
        health.addTo(collector);
        collectorServer = start(collector);

        ServerBuilder query = newServer(p.query(), 0);
        health.addTo(query);
        new RestApi(storage, metrics.registry(), clock).addTo(query);
        queryServer = start(query);

        // All-in-one: one registry holds the collector's and the query role's metrics; both ports serve it.
        ServerBuilder metricsBuilder = newServer(p.metrics(), 0);
        metrics.addTo(metricsBuilder);
        metricsServer = start(metricsBuilder);
        ServerBuilder queryMetricsBuilder = newServer(p.queryMetrics(), 0);
        metrics.addTo(queryMetricsBuilder);
        queryMetricsServer = start(queryMetricsBuilder);

        ports = new BoundPorts(port(otlpGrpcServer), port(otlpHttpServer), port(collectorServer), port(queryServer),
                port(metricsServer), port(queryMetricsServer));
    }

    /**
     * Starts every role of the all-in-one process and returns once all ports are bound.
     *
     * @throws IOException when the data directory or the write-ahead log cannot be opened
     */
    public static OtelServices start(ServerConfig config, Clock clock) throws IOException {
        OtelServices services = new OtelServices(config, clock);
        BoundPorts p = services.ports;
        log.atInfo()
                .addKeyValue("mode", config.mode())
                .addKeyValue("data_dir", config.dataDirectory().toAbsolutePath().toString())
                .addKeyValue("otlp_grpc_port", p.otlpGrpc())
                .addKeyValue("otlp_http_port", p.otlpHttp())
                .addKeyValue("collector_http_port", p.collectorHttp())
                .addKeyValue("query_port", p.query())
                .addKeyValue("metrics_port", p.metrics())
                .addKeyValue("query_metrics_port", p.queryMetrics())
                .log("otelservices started");
        return services;
    }

    public BoundPorts ports() {
        return ports;
    }

    private static ServerBuilder newServer(int port, long maxRequestBytes) {
        ServerBuilder sb = Server.builder().http(port);
        if (maxRequestBytes > 0) {
            // Receivers enforce the configured limit themselves and answer 413; leave them room to see it.
            sb.maxRequestLength(maxRequestBytes + 1);
        }
        return sb;
    }

    private static Server start(ServerBuilder builder) {
        Server server = builder.build();
        server.start().join();
        return server;
    }

    private static int port(Server server) {
        return server.activeLocalPort();
    }

    /** Stops receiving, writes what was acknowledged to storage, then stops queries and closes storage. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        stop(otlpGrpcServer, failures);
        stop(otlpHttpServer, failures);
        run(pipeline::close, failures);
        stop(queryServer, failures);
        stop(collectorServer, failures);
        stop(metricsServer, failures);
        stop(queryMetricsServer, failures);
        run(storage::close, failures);
        run(metrics::close, failures);
        if (!failures.isEmpty()) {
            UncheckedIOException e = new UncheckedIOException(new IOException("failures while shutting down"));
            failures.forEach(e::addSuppressed);
            throw e;
        }
        log.info("otelservices stopped");
    }

    private static void stop(Server server, List<Throwable> failures) {
        run(() -> server.stop().join(), failures);
    }

    private static void run(Runnable step, List<Throwable> failures) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
