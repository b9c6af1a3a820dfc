package io.otelservices.server;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code otelservices} command: starts the all-in-one process and runs until SIGTERM/SIGINT. */
@Command(name = "otelservices", mixinStandardHelpOptions = true, version = "otelservices 0.1.0",
        description = "An OpenTelemetry backend: OTLP in, embedded storage, query APIs out.",
        sortOptions = false)
public final class Main implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
    Path configFile;

    @Option(names = "--mode", description = "roles to run (default: all-in-one)")
    String mode;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "embedded storage and WAL directory (default: ./data)")
    String dataDir;

    @Option(names = "--log-level", description = "TRACE, DEBUG, INFO, WARN or ERROR (default: INFO)")
    String logLevel;

    @Option(names = "--otlp-grpc-port", description = "OTLP/gRPC port (default: 4317)")
    String otlpGrpcPort;

    @Option(names = "--otlp-http-port", description = "OTLP/HTTP port (default: 4318)")
    String otlpHttpPort;

    @Option(names = "--collector-http-port", description = "collector health port (default: 8080)")
    String collectorHttpPort;

    @Option(names = "--query-port", description = "query API port (default: 8081)")
    String queryPort;

    @Option(names = "--metrics-port", description = "self-metrics port (default: 9090)")
    String metricsPort;

    @Option(names = "--query-metrics-port", description = "query role self-metrics port (default: 9091)")
    String queryMetricsPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any configuration key, e.g. ingest.batch_max_delay=5s")
    List<String> settings = List.of();

    public static void main(String[] args) {
        int exitCode = new CommandLine(new Main()).execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Builds the configuration from every layer; package-private for tests. */
    ServerConfig config(java.util.Map<String, String> environment) {
        ConfigLoader loader = new ConfigLoader();
        if (configFile != null) {
            loader.yaml(configFile);
        }
        loader.environment(environment);
        flag(loader, "mode", mode, "--mode");
        flag(loader, "data_dir", dataDir, "--data-dir");
        flag(loader, "log_level", logLevel, "--log-level");
        flag(loader, "ports.otlp_grpc", otlpGrpcPort, "--otlp-grpc-port");
        flag(loader, "ports.otlp_http", otlpHttpPort, "--otlp-http-port");
        flag(loader, "ports.collector_http", collectorHttpPort, "--collector-http-port");
        flag(loader, "ports.query", queryPort, "--query-port");
        flag(loader, "ports.metrics", metricsPort, "--metrics-port");
        flag(loader, "ports.query_metrics", queryMetricsPort, "--query-metrics-port");
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + setting + ": expected KEY=VALUE");
            }
            loader.flag(setting.substring(0, eq).trim(), setting.substring(eq + 1), "--set");
        }
        return loader.load();
    }

    private static void flag(ConfigLoader loader, String key, String value, String flagName) {
        if (value != null) {
            loader.flag(key, value, flagName);
        }
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = config(System.getenv());
        } catch (ConfigException e) {
            System.err.println("otelservices: invalid configuration: " + e.getMessage());
            return 2;
        }
        applyLogLevel(config.logLevel());
        OtelServices services = OtelServices.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            try {
                services.close();
            } finally {
                stopped.countDown();
            }
        }, "otelservices-shutdown"));
        stopped.await();
        return 0;
    }

    static void applyLogLevel(String level) {
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logbackRoot) {
            logbackRoot.setLevel(Level.toLevel(level, Level.INFO));
        }
    }
}
