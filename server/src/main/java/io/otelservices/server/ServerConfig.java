package io.otelservices.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The typed configuration of one otelservices process. Built by {@link ConfigLoader} from defaults, a YAML file,
 * environment variables and flags (in rising precedence); {@link #defaults()} is pinned by a test.
 *
 * @param mode which roles this process runs; only {@code all-in-one} exists so far
 * @param dataDirectory where embedded storage and the ingest write-ahead log live
 * @param logLevel root log level (TRACE, DEBUG, INFO, WARN, ERROR)
 * @param ports the ports to bind; 0 picks a free one
 * @param ingest ingest pipeline settings
 * @param duckDb embedded storage settings
 * @param clickHouse ClickHouse connection settings (accepted now; the ClickHouse backend is a later issue)
 */
public record ServerConfig(
        String mode,
        Path dataDirectory,
        String logLevel,
        Ports ports,
        Ingest ingest,
        DuckDb duckDb,
        ClickHouse clickHouse) {

    public ServerConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(duckDb, "duckDb");
        Objects.requireNonNull(clickHouse, "clickHouse");
    }

    /** The ports of DESIGN.md §2. */
    public record Ports(int otlpGrpc, int otlpHttp, int collectorHttp, int query, int metrics, int queryMetrics) {}

    /** Ingest pipeline settings; see {@code io.otelservices.ingest.IngestConfig}. */
    public record Ingest(
            long maxRequestBytes, int batchMaxItems, Duration batchMaxDelay, long walSegmentBytes,
            int maxQueuedItems, int writers, int maxWriteAttempts, long memoryLimitBytes, long walMaxBytes) {}

    /** Embedded DuckDB settings. */
    /**
     * Embedded storage settings: DuckDB's memory and query threads, how long each signal's raw data is kept, how
     * long after an hour ends its rows are sealed into a block, and how often sealing and retention run.
     */
    public record DuckDb(String memoryLimit, int readerThreads, Duration traceRetention, Duration logRetention,
            Duration metricRetention, Duration sealGrace, Duration maintenanceInterval) {}

    /** ClickHouse connection settings. */
    public record ClickHouse(String host, String database, String username, String password) {}

    /** The configuration with every default (DESIGN.md §2 ports, data under {@code ./data}). */
    public static ServerConfig defaults() {
        return new ServerConfig(
                "all-in-one",
                Path.of("data"),
                "INFO",
                new Ports(4317, 4318, 8080, 8081, 9090, 9091),
                new Ingest(16L * 1024 * 1024, 10_000, Duration.ofSeconds(1), 64L * 1024 * 1024, 200_000, 4, 5,
                        512L * 1024 * 1024, 8L * 1024 * 1024 * 1024),
                new DuckDb("1GB", 2, Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(30),
                        Duration.ofMinutes(5), Duration.ofMinutes(1)),
                new ClickHouse("", "otel", "default", ""));
    }
}
