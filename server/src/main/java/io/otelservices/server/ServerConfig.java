package io.otelservices.server;

import io.otelservices.ingest.prometheus.RemoteWriteConfig;
import io.otelservices.query.prometheus.PrometheusApiConfig;
import io.otelservices.query.rest.QueryCacheConfig;
import io.otelservices.storage.objectstore.S3Config;
import java.net.URI;
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
 * @param queryCache the query API's result cache ({@code query.cache.*})
 * @param prometheus the Prometheus API and its PromQL engine ({@code query.prometheus.*})
 * @param remoteWrite the Prometheus remote-write receiver ({@code ingest.remote_write.*})
 */
public record ServerConfig(
        String mode,
        Path dataDirectory,
        String logLevel,
        Ports ports,
        Ingest ingest,
        DuckDb duckDb,
        ClickHouse clickHouse,
        QueryCacheConfig queryCache,
        PrometheusApiConfig prometheus,
        RemoteWriteConfig remoteWrite) {

    /** Settings with the default result cache, Prometheus API and remote-write receiver. */
    public ServerConfig(String mode, Path dataDirectory, String logLevel, Ports ports, Ingest ingest, DuckDb duckDb,
            ClickHouse clickHouse) {
        this(mode, dataDirectory, logLevel, ports, ingest, duckDb, clickHouse, QueryCacheConfig.DEFAULT);
    }

    /** Settings with the default Prometheus API and remote-write receiver. */
    public ServerConfig(String mode, Path dataDirectory, String logLevel, Ports ports, Ingest ingest, DuckDb duckDb,
            ClickHouse clickHouse, QueryCacheConfig queryCache) {
        this(mode, dataDirectory, logLevel, ports, ingest, duckDb, clickHouse, queryCache,
                PrometheusApiConfig.DEFAULT, RemoteWriteConfig.DEFAULT);
    }

    public ServerConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(duckDb, "duckDb");
        Objects.requireNonNull(clickHouse, "clickHouse");
        Objects.requireNonNull(queryCache, "queryCache");
        Objects.requireNonNull(prometheus, "prometheus");
        Objects.requireNonNull(remoteWrite, "remoteWrite");
    }

    /** The ports of DESIGN.md §2. */
    public record Ports(int otlpGrpc, int otlpHttp, int collectorHttp, int query, int metrics, int queryMetrics) {}

    /** Ingest pipeline settings; see {@code io.otelservices.ingest.IngestConfig}. */
    public record Ingest(
            long maxRequestBytes, int batchMaxItems, Duration batchMaxDelay, long walSegmentBytes,
            int maxQueuedItems, int writers, int maxWriteAttempts, long memoryLimitBytes, long walMaxBytes) {}

    /**
     * Embedded storage settings: DuckDB's memory and query threads, how long each signal's raw data is kept, how
     * long after an hour ends its rows are sealed into a block, how often sealing and retention run, and the cold
     * tier.
     */
    public record DuckDb(String memoryLimit, int readerThreads, Duration traceRetention, Duration logRetention,
            Duration metricRetention, Duration sealGrace, Duration maintenanceInterval, Cold cold) {

        public DuckDb {
            Objects.requireNonNull(cold, "cold");
        }

        /** Settings without a cold tier. */
        public DuckDb(String memoryLimit, int readerThreads, Duration traceRetention, Duration logRetention,
                Duration metricRetention, Duration sealGrace, Duration maintenanceInterval) {
            this(memoryLimit, readerThreads, traceRetention, logRetention, metricRetention, sealGrace,
                    maintenanceInterval, Cold.OFF);
        }
    }

    /**
     * The cold tier: sealed blocks whose partition ended more than {@code after} ago move to an S3-compatible
     * bucket, and a local cache keeps the ones queries read.
     *
     * @param after how long after a partition ends its blocks move; {@code null} keeps every block local and leaves
     *     the other settings unused
     * @param endpoint the S3 server's URL, such as {@code https://s3.eu-west-1.amazonaws.com}
     * @param region the signing region
     * @param bucket an existing bucket
     * @param prefix prepended to every key, empty for none
     * @param accessKey the access key id, empty to use the AWS SDK's default credentials chain (with secretKey)
     * @param secretKey the secret access key, empty with accessKey
     * @param cacheDirectory where downloaded cold blocks are cached ({@code <data_dir>/cold-cache} by default)
     * @param cacheBytes the cache's byte budget
     */
    public record Cold(Duration after, String endpoint, String region, String bucket, String prefix,
            String accessKey, String secretKey, Path cacheDirectory, long cacheBytes) {

        /** No cold tier (the S3 and cache settings hold their defaults). */
        public static final Cold OFF = new Cold(null, "", "us-east-1", "", "", "", "", Path.of("data", "cold-cache"),
                10L * 1024 * 1024 * 1024);

        public Cold {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            if (cacheBytes < 1) {
                throw new IllegalArgumentException("cacheBytes: " + cacheBytes + " (expected: >= 1)");
            }
        }

        @Override
        public String toString() {
            return "Cold[after=" + after + ", endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                    + ", prefix=" + prefix + ", accessKey=" + accessKey + ", secretKey="
                    + (secretKey.isEmpty() ? "" : "****") + ", cacheDirectory=" + cacheDirectory + ", cacheBytes="
                    + cacheBytes + "]";
        }

        /**
         * The S3 settings.
         *
         * @throws IllegalArgumentException naming the field that is invalid
         */
        public S3Config s3Config() {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: a URL such as "
                        + "http://127.0.0.1:9000)", e);
            }
            return new S3Config(uri, region, bucket, prefix, accessKey.isEmpty() ? null : accessKey,
                    secretKey.isEmpty() ? null : secretKey);
        }
    }

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
                new ClickHouse("", "otel", "default", ""),
                QueryCacheConfig.DEFAULT,
                PrometheusApiConfig.DEFAULT,
                RemoteWriteConfig.DEFAULT);
    }
}
