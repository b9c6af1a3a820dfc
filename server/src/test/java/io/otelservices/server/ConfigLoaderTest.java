package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.ingest.prometheus.RemoteWriteConfig;
import io.otelservices.query.prometheus.PrometheusApiConfig;
import io.otelservices.query.promql.EngineOptions;
import io.otelservices.query.rest.QueryCacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaults_matchDesignPorts() {
        ServerConfig config = new ConfigLoader().load();

        assertThat(config).isEqualTo(ServerConfig.defaults());
        assertThat(config.mode()).isEqualTo("all-in-one");
        assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.ports()).isEqualTo(new ServerConfig.Ports(4317, 4318, 8080, 8081, 9090, 9091));
        assertThat(config.ingest()).isEqualTo(new ServerConfig.Ingest(
                16L * 1024 * 1024, 10_000, Duration.ofSeconds(1), 64L * 1024 * 1024, 200_000, 4, 5,
                512L * 1024 * 1024, 8L * 1024 * 1024 * 1024));
        assertThat(config.duckDb()).isEqualTo(new ServerConfig.DuckDb("1GB", 2, Duration.ofDays(30),
                Duration.ofDays(30), Duration.ofDays(30), Duration.ofMinutes(5), Duration.ofMinutes(1)));
        assertThat(config.clickHouse()).isEqualTo(new ServerConfig.ClickHouse("", "otel", "default", ""));
        assertThat(config.duckDb().cold()).isEqualTo(new ServerConfig.Cold(null, "", "us-east-1", "", "", "", "",
                Path.of("data", "cold-cache"), 10L * 1024 * 1024 * 1024));
        assertThat(config.queryCache()).isEqualTo(new QueryCacheConfig(true, Duration.ofMinutes(15),
                64L * 1024 * 1024, Duration.ofMinutes(5)));
        assertThat(config.prometheus()).isEqualTo(new PrometheusApiConfig(new EngineOptions(Duration.ofMinutes(5),
                50_000_000, Duration.ofMinutes(2), Duration.ofMinutes(1)), 100_000, Duration.ofSeconds(5),
                Duration.ofDays(1)));
        assertThat(config.remoteWrite()).isEqualTo(new RemoteWriteConfig(250_000, 50_000));
    }

    @Test
    void load_prometheusAndRemoteWrite_fromYamlAndFlags() throws IOException {
        Path yaml = write("""
                query:
                  prometheus:
                    lookback_delta: 10m
                    max_samples: 1000000
                ingest:
                  remote_write:
                    max_tracked_series: 1000
                """);
        Main main = new Main();
        new CommandLine(main).parseArgs("--config", yaml.toString(), "--set", "query.prometheus.timeout=30s",
                "--set", "query.prometheus.max_series=5000", "--set", "ingest.remote_write.max_metric_families=7");

        ServerConfig config = main.config(Map.of());
        assertThat(config.prometheus().engine()).isEqualTo(new EngineOptions(Duration.ofMinutes(10), 1_000_000,
                Duration.ofSeconds(30), Duration.ofMinutes(1)));
        assertThat(config.prometheus().maxSeries()).isEqualTo(5000);
        assertThat(config.remoteWrite()).isEqualTo(new RemoteWriteConfig(1000, 7));
    }

    @Test
    void load_queryCache_fromYamlAndFlags() throws IOException {
        Path yaml = write("""
                query:
                  cache:
                    ttl: 1h
                    max_bytes: 16MiB
                    closed_grace: 0s
                """);
        Main main = new Main();
        new CommandLine(main).parseArgs("--config", yaml.toString(), "--set", "query.cache.enabled=false");

        assertThat(main.config(Map.of()).queryCache())
                .isEqualTo(new QueryCacheConfig(false, Duration.ofHours(1), 16L * 1024 * 1024, Duration.ZERO));
    }

    @Test
    void load_coldTier_fromYamlAndEnvironment_cacheUnderDataDirectory() throws IOException {
        Path yaml = write("""
                data_dir: /srv/otel
                storage:
                  cold:
                    after: 7d
                    cache_bytes: 2GiB
                    s3:
                      endpoint: http://127.0.0.1:9000
                      bucket: telemetry
                      prefix: site-a
                """);
        Map<String, String> env = Map.of("S3_ACCESS_KEY", "AKIA", "S3_SECRET_KEY", "secret");

        ServerConfig.Cold cold = new ConfigLoader().yaml(yaml).environment(env).load().duckDb().cold();

        assertThat(cold).isEqualTo(new ServerConfig.Cold(Duration.ofDays(7), "http://127.0.0.1:9000", "us-east-1",
                "telemetry", "site-a", "AKIA", "secret", Path.of("/srv/otel/cold-cache"), 2L * 1024 * 1024 * 1024));
        assertThat(cold.s3Config().prefix()).isEqualTo("site-a/");
        assertThat(cold.toString()).doesNotContain("secret\"").contains("secretKey=****");
    }

    @Test
    void load_coldTierWithoutBucketOrWithBadEndpoint_namesKey() throws IOException {
        Path noBucket = write("storage:\n  cold:\n    after: 1d\n    s3:\n      endpoint: http://s3:9000\n");
        assertThatThrownBy(() -> new ConfigLoader().yaml(noBucket).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("storage.cold.s3.bucket: not set");

        Path badEndpoint = write("storage:\n  cold:\n    after: 1d\n    s3:\n      endpoint: s3:9000\n"
                + "      bucket: telemetry\n");
        assertThatThrownBy(() -> new ConfigLoader().yaml(badEndpoint).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("storage.cold.s3: endpoint: s3:9000");

        // Without storage.cold.after the S3 settings are not used, so not checked.
        Path off = write("storage:\n  cold:\n    s3:\n      endpoint: s3:9000\n");
        assertThat(new ConfigLoader().yaml(off).load().duckDb().cold().after()).isNull();
    }

    @Test
    void load_flagsOverEnvironmentOverYamlOverDefaults() throws IOException {
        Path yaml = write("""
                data_dir: /yaml/data
                log_level: debug
                ports:
                  otlp_grpc: 1111
                  otlp_http: 2222
                  query: 3333
                ingest:
                  batch_max_delay: 250ms
                  max_request_bytes: 4MiB
                storage:
                  duckdb:
                    memory_limit: 2GB
                  retention:
                    logs: 7d
                """);
        Map<String, String> env = Map.of("OTLP_HTTP_PORT", "5555", "QUERY_PORT", "6666", "UNRELATED", "x");

        Main main = new Main();
        new CommandLine(main).parseArgs("--config", yaml.toString(), "--query-port", "7777",
                "--set", "ingest.batch_max_items=500");
        ServerConfig config = main.config(env);

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/yaml/data"));
        assertThat(config.logLevel()).isEqualTo("DEBUG");
        assertThat(config.ports().otlpGrpc()).isEqualTo(1111); // yaml
        assertThat(config.ports().otlpHttp()).isEqualTo(5555); // env over yaml
        assertThat(config.ports().query()).isEqualTo(7777); // flag over env and yaml
        assertThat(config.ports().metrics()).isEqualTo(9090); // default
        assertThat(config.ingest().batchMaxDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.ingest().maxRequestBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.ingest().batchMaxItems()).isEqualTo(500);
        assertThat(config.duckDb().memoryLimit()).isEqualTo("2GB");
        assertThat(config.duckDb().logRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.duckDb().traceRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void load_seedEnvironmentVariables_allApplied() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("OTLP_GRPC_PORT", "0"), Map.entry("OTLP_HTTP_PORT", "0"),
                Map.entry("COLLECTOR_HTTP_PORT", "0"), Map.entry("QUERY_PORT", "0"),
                Map.entry("METRICS_PORT", "0"), Map.entry("QUERY_METRICS_PORT", "0"),
                Map.entry("DATA_DIR", "/var/lib/otel"), Map.entry("LOG_LEVEL", "warn"),
                Map.entry("CLICKHOUSE_HOST", "ch:8123"), Map.entry("CLICKHOUSE_DATABASE", "db"),
                Map.entry("CLICKHOUSE_USERNAME", "u"), Map.entry("CLICKHOUSE_PASSWORD", "p"));

        ServerConfig config = new ConfigLoader().environment(env).load();

        assertThat(config.ports()).isEqualTo(new ServerConfig.Ports(0, 0, 0, 0, 0, 0));
        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/otel"));
        assertThat(config.logLevel()).isEqualTo("WARN");
        assertThat(config.clickHouse()).isEqualTo(new ServerConfig.ClickHouse("ch:8123", "db", "u", "p"));
    }

    @Test
    void load_badPortFromEnvironment_namesKeyAndSource() {
        assertThatThrownBy(() -> new ConfigLoader().environment(Map.of("QUERY_PORT", "80a")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ports.query")
                .hasMessageContaining("environment variable QUERY_PORT")
                .hasMessageContaining("0..65535");
        assertThatThrownBy(() -> new ConfigLoader().environment(Map.of("METRICS_PORT", "70000")).load())
                .hasMessageContaining("ports.metrics");
    }

    @Test
    void load_unknownYamlKey_namesKey() throws IOException {
        Path yaml = write("ports:\n  qurey: 1\n");

        assertThatThrownBy(() -> new ConfigLoader().yaml(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ports.qurey: unknown configuration key")
                .hasMessageContaining(yaml.toString());
    }

    @Test
    void load_invalidValues_nameKeys() throws IOException {
        for (var entry : List.of(
                Map.entry("ingest:\n  batch_max_delay: soon\n", "ingest.batch_max_delay"),
                Map.entry("ingest:\n  batch_max_items: 0\n", "ingest.batch_max_items"),
                Map.entry("ingest:\n  max_request_bytes: 12XB\n", "ingest.max_request_bytes"),
                Map.entry("ingest:\n  writers: 0\n", "ingest.writers"),
                Map.entry("ingest:\n  memory_limit: lots\n", "ingest.memory_limit"),
                Map.entry("log_level: loud\n", "log_level"),
                Map.entry("query:\n  cache:\n    enabled: maybe\n", "query.cache.enabled"),
                Map.entry("query:\n  cache:\n    ttl: 0s\n", "query.cache.ttl"),
                Map.entry("query:\n  cache:\n    ttl: 400d\n", "query.cache"), // QueryCacheConfig: "ttl: ..."
                Map.entry("query:\n  cache:\n    max_bytes: 0\n", "query.cache.max_bytes"),
                Map.entry("query:\n  cache:\n    closed_grace: -1m\n", "query.cache.closed_grace"),
                Map.entry("mode: cluster\n", "mode"))) {
            Path yaml = write(entry.getKey());
            assertThatThrownBy(() -> new ConfigLoader().yaml(yaml).load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(entry.getValue() + ": ");
        }
    }

    @Test
    void load_malformedYaml_failsWithFileName() throws IOException {
        Path yaml = write("ports: [1, 2\n");

        assertThatThrownBy(() -> new ConfigLoader().yaml(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(yaml.toString());
    }

    @Test
    void set_withoutEquals_fails() {
        Main main = new Main();
        new CommandLine(main).parseArgs("--set", "ports.query");

        assertThatThrownBy(() -> main.config(Map.of())).hasMessageContaining("expected KEY=VALUE");
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
