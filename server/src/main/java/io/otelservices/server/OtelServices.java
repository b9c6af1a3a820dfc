package io.otelservices.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.ingest.IngestConfig;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.otlp.OtlpGrpcReceiver;
import io.otelservices.ingest.otlp.OtlpHttpReceiver;
import io.otelservices.ingest.prometheus.RemoteWriteReceiver;
import io.otelservices.query.prometheus.PrometheusApi;
import io.otelservices.query.rest.RestApi;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.duckdb.BlockPolicy;
import io.otelservices.storage.duckdb.DuckDbConfig;
import io.otelservices.storage.duckdb.DuckDbStorage;
import io.otelservices.storage.objectstore.ObjectStore;
import io.otelservices.storage.objectstore.ObjectStoreException;
import io.otelservices.storage.objectstore.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the all-in-one process: opens embedded storage, replays and starts the ingest pipeline,
 * and binds the OTLP receivers (with Prometheus remote_write on the OTLP/HTTP port), the query API and the health
 * and metrics endpoints on their ports (DESIGN.md §2). {@link #close()} shuts down in the reverse order so that
 * acknowledged data reaches storage.
 */
public final class OtelServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtelServices.class);

    private final SelfMetrics metrics;
    private final ObjectStore coldStore; // null without a cold tier; closed after the storage
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

    /** Sealed blocks per table: count, rows, bytes (refreshed by each maintenance run). */
    private static void registerBlockGauges(DuckDbStorage storage, MeterRegistry registry) {
        for (String table : DuckDbStorage.rawTables()) {
            Gauge.builder("otel.storage.blocks", storage, s -> totals(s, table).blocks())
                    .description("Sealed Parquet blocks, local and cold").tag("table", table).register(registry);
            Gauge.builder("otel.storage.block.rows", storage, s -> totals(s, table).rows())
                    .description("Rows in sealed blocks, local and cold").tag("table", table).register(registry);
            Gauge.builder("otel.storage.block.bytes", storage, s -> totals(s, table).bytes())
                    .description("Bytes of sealed blocks, local and cold").baseUnit("bytes").tag("table", table)
                    .register(registry);
            Gauge.builder("otel.storage.cold.blocks", storage, s -> coldTotals(s, table).blocks())
                    .description("Sealed Parquet blocks in the cold tier").tag("table", table).register(registry);
            Gauge.builder("otel.storage.cold.block.bytes", storage, s -> coldTotals(s, table).bytes())
                    .description("Bytes of sealed blocks in the cold tier").baseUnit("bytes").tag("table", table)
                    .register(registry);
        }
    }

    private static DuckDbStorage.BlockTotals totals(DuckDbStorage storage, String table) {
        return storage.blockTotals().getOrDefault(table, new DuckDbStorage.BlockTotals(0, 0, 0));
    }

    private static DuckDbStorage.BlockTotals coldTotals(DuckDbStorage storage, String table) {
        return storage.coldBlockTotals().getOrDefault(table, new DuckDbStorage.BlockTotals(0, 0, 0));
    }

    /**
     * The cold tier's store, or {@code null} when {@code storage.cold.after} is not set. A store that cannot be
     * used now is logged, not fatal: blocks stay local until it can.
     */
    private static ObjectStore openColdStore(ServerConfig.Cold cold) {
        if (cold.after() == null) {
            return null;
        }
        ObjectStore store = new S3ObjectStore(cold.s3Config());
        try {
            store.check();
        } catch (ObjectStoreException e) {
            log.atWarn().setCause(e).addKeyValue("reason", e.reason())
                    .log("cold tier not usable now; blocks stay local until it is");
        }
        return store;
    }

    private OtelServices(ServerConfig config, Clock clock) throws IOException {
        // What is open so far, closed newest first when a later step fails, so a failed start leaks nothing
        // (a DuckDB file lock or a bound port would otherwise outlive it).
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            metrics = new SelfMetrics();
            opened.add(metrics::close);
            Files.createDirectories(config.dataDirectory());
            ServerConfig.DuckDb db = config.duckDb();
            coldStore = openColdStore(db.cold());
            if (coldStore != null) {
                opened.add(coldStore);
            }
            DuckDbStorage duckDb = DuckDbStorage.open(DuckDbConfig.of(config.dataDirectory())
                    .withMemoryLimit(db.memoryLimit())
                    .withReaderThreads(db.readerThreads())
                    .withBlocks(BlockPolicy.DEFAULT.withClock(clock)
                            .withRetention(db.traceRetention(), db.logRetention(), db.metricRetention())
                            .withSealGrace(db.sealGrace())
                            .withMaintenanceInterval(db.maintenanceInterval())
                            .withColdAfter(db.cold().after()))
                    .withColdTier(coldStore == null ? null : new DuckDbConfig.ColdTier(coldStore,
                            db.cold().cacheDirectory(), db.cold().cacheBytes())));
            storage = duckDb;
            opened.add(storage);
            ServerConfig.Ingest ingest = config.ingest();
            IngestConfig ingestConfig = new IngestConfig(
                    config.dataDirectory().resolve("wal"), ingest.maxRequestBytes(), ingest.batchMaxItems(),
                    ingest.batchMaxDelay(), ingest.walSegmentBytes(), ingest.maxQueuedItems(), ingest.writers(),
                    ingest.maxWriteAttempts(), ingest.memoryLimitBytes(), ingest.walMaxBytes());
            pipeline = IngestPipeline.open(ingestConfig, storage.writer(), metrics.registry());
            registerBlockGauges(duckDb, metrics.registry());
            opened.add(pipeline);
            HealthEndpoints health = new HealthEndpoints(storage, pipeline::isReady);
            ServerConfig.Ports p = config.ports();

            otlpGrpcServer = newServer(p.otlpGrpc(), ingest.maxRequestBytes())
                    .service(OtlpGrpcReceiver.service(pipeline, ingestConfig)).build();
            ServerBuilder http = newServer(p.otlpHttp(), ingest.maxRequestBytes());
            OtlpHttpReceiver.addTo(http, pipeline, ingestConfig);
            // Prometheus remote_write beside OTLP/HTTP: the same port, limits and pipeline
            RemoteWriteReceiver.addTo(http, pipeline, ingestConfig, config.remoteWrite());
            otlpHttpServer = http.build();

            ServerBuilder collector = newServer(p.collectorHttp(), 0);
            health.addTo(collector);
            collectorServer = collector.build();

            ServerBuilder query = newServer(p.query(), 0);
            health.addTo(query);
            new RestApi(storage, metrics.registry(), clock, config.queryCache()).addTo(query);
            new PrometheusApi(storage.series(), metrics.registry(), clock, config.prometheus()).addTo(query);
            queryServer = query.build();

            // All-in-one: one registry holds the collector's and the query role's metrics; both ports serve it.
            ServerBuilder metricsBuilder = newServer(p.metrics(), 0);
            metrics.addTo(metricsBuilder);
            metricsServer = metricsBuilder.build();
            ServerBuilder queryMetricsBuilder = newServer(p.queryMetrics(), 0);
            metrics.addTo(queryMetricsBuilder);
            queryMetricsServer = queryMetricsBuilder.build();

            List<Server> servers = List.of(otlpGrpcServer, otlpHttpServer, collectorServer, queryServer,
                    metricsServer, queryMetricsServer);
            servers.forEach(server -> opened.add(() -> server.stop().join()));
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            servers.forEach(server -> starting.add(server.start()));
            starting.forEach(CompletableFuture::join);

            ports = new BoundPorts(port(otlpGrpcServer), port(otlpHttpServer), port(collectorServer),
                    port(queryServer), port(metricsServer), port(queryMetricsServer));
        } catch (IOException | RuntimeException | Error e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
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

    /** The self-metrics registry (served on the metrics ports). */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return metrics.registry();
    }

    public BoundPorts ports() {
        return ports;
    }

    /** The storage backend, for this package's tests that read back what was ingested. */
    StorageBackend storage() {
        return storage;
    }

    private static ServerBuilder newServer(int port, long maxRequestBytes) {
        // Stop within moments of the last request instead of Armeria's default 2 s of quiet per server; an OTLP
        // request cut off by the timeout was not acknowledged, so its client retries it.
        ServerBuilder sb = Server.builder().http(port)
                .gracefulShutdownTimeout(Duration.ofMillis(100), Duration.ofSeconds(10));
        if (maxRequestBytes > 0) {
            // Receivers enforce the configured limit themselves and answer 413; leave them room to see it.
            sb.maxRequestLength(maxRequestBytes + 1);
        }
        return sb;
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
        // Every server stops at once (each stop() costs Netty's fixed 2 s quiet period on its boss event loop); the
        // pipeline flushes to storage once the receivers no longer take requests.
        CompletableFuture<Void> receivers = CompletableFuture.allOf(otlpGrpcServer.stop(), otlpHttpServer.stop());
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (Server server : List.of(queryServer, collectorServer, metricsServer, queryMetricsServer)) {
            others.add(server.stop());
        }
        run(receivers::join, failures);
        run(pipeline::close, failures);
        others.forEach(future -> run(future::join, failures));
        run(storage::close, failures);
        if (coldStore != null) {
            run(coldStore::close, failures);
        }
        run(metrics::close, failures);
        if (!failures.isEmpty()) {
            UncheckedIOException e = new UncheckedIOException(new IOException("failures while shutting down"));
            failures.forEach(e::addSuppressed);
            throw e;
        }
        log.info("otelservices stopped");
    }

    private static void run(Runnable step, List<Throwable> failures) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
