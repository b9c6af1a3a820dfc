package io.otelservices.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.otelservices.ingest.prometheus.RemoteWriteConfig;
import io.otelservices.query.prometheus.PrometheusApiConfig;
import io.otelservices.query.promql.EngineOptions;
import io.otelservices.query.rest.QueryCacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link ServerConfig} from layers, lowest precedence first: defaults, a YAML file, environment variables,
 * flags (DESIGN.md §2). Every layer is first flattened to dotted keys ({@code ports.query}); unknown keys and
 * invalid values fail with a message that names the key and its source.
 */
final class ConfigLoader {

    /** Environment variables and the keys they set. */
    static final Map<String, String> ENVIRONMENT_KEYS = Map.ofEntries(
            Map.entry("OTELSERVICES_MODE", "mode"),
            Map.entry("DATA_DIR", "data_dir"),
            Map.entry("LOG_LEVEL", "log_level"),
            Map.entry("OTLP_GRPC_PORT", "ports.otlp_grpc"),
            Map.entry("OTLP_HTTP_PORT", "ports.otlp_http"),
            Map.entry("COLLECTOR_HTTP_PORT", "ports.collector_http"),
            Map.entry("QUERY_PORT", "ports.query"),
            Map.entry("METRICS_PORT", "ports.metrics"),
            Map.entry("QUERY_METRICS_PORT", "ports.query_metrics"),
            Map.entry("CLICKHOUSE_HOST", "clickhouse.host"),
            Map.entry("CLICKHOUSE_DATABASE", "clickhouse.database"),
            Map.entry("CLICKHOUSE_USERNAME", "clickhouse.username"),
            Map.entry("CLICKHOUSE_PASSWORD", "clickhouse.password"),
            Map.entry("S3_ACCESS_KEY", "storage.cold.s3.access_key"),
            Map.entry("S3_SECRET_KEY", "storage.cold.s3.secret_key"));

    static final Set<String> KEYS = Set.of(
            "mode", "data_dir", "log_level",
            "ports.otlp_grpc", "ports.otlp_http", "ports.collector_http", "ports.query", "ports.metrics",
            "ports.query_metrics",
            "ingest.max_request_bytes", "ingest.batch_max_items", "ingest.batch_max_delay",
            "ingest.wal_segment_bytes", "ingest.max_queued_items", "ingest.writers", "ingest.max_write_attempts",
            "ingest.memory_limit", "ingest.wal_max_bytes",
            "storage.duckdb.memory_limit", "storage.duckdb.reader_threads",
            "storage.retention.traces", "storage.retention.logs", "storage.retention.metrics",
            "storage.seal_grace", "storage.maintenance_interval",
            "storage.cold.after", "storage.cold.s3.endpoint", "storage.cold.s3.region", "storage.cold.s3.bucket",
            "storage.cold.s3.prefix", "storage.cold.s3.access_key", "storage.cold.s3.secret_key",
            "storage.cold.cache_dir", "storage.cold.cache_bytes",
            "query.cache.enabled", "query.cache.ttl", "query.cache.max_bytes", "query.cache.closed_grace",
            "query.prometheus.lookback_delta", "query.prometheus.max_samples", "query.prometheus.timeout",
            "query.prometheus.max_series",
            "ingest.remote_write.max_tracked_series", "ingest.remote_write.max_metric_families",
            "clickhouse.host", "clickhouse.database", "clickhouse.username", "clickhouse.password");

    private static final Set<String> MODES = Set.of("all-in-one");
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

    /** A value and where it came from, for error messages. */
    private record Setting(String value, String source) {}

    private final Map<String, Setting> settings = new LinkedHashMap<>();

    /** Adds a YAML file's settings. */
    ConfigLoader yaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return this;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + ": expected a mapping of keys at the top level");
        }
        flatten("", root, "config file " + file);
        return this;
    }

    /** Adds the settings of the environment variables in {@link #ENVIRONMENT_KEYS}. */
    ConfigLoader environment(Map<String, String> environment) {
        ENVIRONMENT_KEYS.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                settings.put(key, new Setting(value, "environment variable " + variable));
            }
        });
        return this;
    }

    /** Adds one setting from a flag. */
    ConfigLoader flag(String key, String value, String flagName) {
        requireKnown(key, "flag " + flagName);
        settings.put(key, new Setting(value, "flag " + flagName));
        return this;
    }

    private void flatten(String prefix, JsonNode node, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, source);
                continue;
            }
            requireKnown(key, source);
            if (!value.isValueNode()) {
                throw new ConfigException(key + ": expected a single value in " + source);
            }
            settings.put(key, new Setting(value.isNull() ? "" : value.asText(), source));
        }
    }

    private static void requireKnown(String key, String source) {
        if (!KEYS.contains(key)) {
            throw new ConfigException(key + ": unknown configuration key in " + source
                    + " (expected one of: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }
    }

    /** The configuration: defaults overridden by every layer added so far. */
    ServerConfig load() {
        ServerConfig d = ServerConfig.defaults();
        String mode = text("mode", d.mode());
        if (!MODES.contains(mode)) {
            throw invalid("mode", "is not a known mode (expected: all-in-one)");
        }
        String logLevel = text("log_level", d.logLevel()).toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw invalid("log_level", "is not a log level (expected one of: TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
        }
        ServerConfig.Ports p = d.ports();
        ServerConfig.Ingest i = d.ingest();
        ServerConfig.DuckDb db = d.duckDb();
        ServerConfig.ClickHouse ch = d.clickHouse();
        Path dataDirectory = Path.of(text("data_dir", d.dataDirectory().toString()));
        return new ServerConfig(
                mode,
                dataDirectory,
                logLevel,
                new ServerConfig.Ports(
                        port("ports.otlp_grpc", p.otlpGrpc()),
                        port("ports.otlp_http", p.otlpHttp()),
                        port("ports.collector_http", p.collectorHttp()),
                        port("ports.query", p.query()),
                        port("ports.metrics", p.metrics()),
                        port("ports.query_metrics", p.queryMetrics())),
                new ServerConfig.Ingest(
                        size("ingest.max_request_bytes", i.maxRequestBytes()),
                        positiveInt("ingest.batch_max_items", i.batchMaxItems()),
                        duration("ingest.batch_max_delay", i.batchMaxDelay()),
                        size("ingest.wal_segment_bytes", i.walSegmentBytes()),
                        positiveInt("ingest.max_queued_items", i.maxQueuedItems()),
                        positiveInt("ingest.writers", i.writers()),
                        positiveInt("ingest.max_write_attempts", i.maxWriteAttempts()),
                        size("ingest.memory_limit", i.memoryLimitBytes()),
                        size("ingest.wal_max_bytes", i.walMaxBytes())),
                new ServerConfig.DuckDb(
                        text("storage.duckdb.memory_limit", db.memoryLimit()),
                        positiveInt("storage.duckdb.reader_threads", db.readerThreads()),
                        duration("storage.retention.traces", db.traceRetention()),
                        duration("storage.retention.logs", db.logRetention()),
                        duration("storage.retention.metrics", db.metricRetention()),
                        duration("storage.seal_grace", db.sealGrace()),
                        duration("storage.maintenance_interval", db.maintenanceInterval()),
                        cold(db.cold(), dataDirectory)),
                new ServerConfig.ClickHouse(
                        text("clickhouse.host", ch.host()),
                        text("clickhouse.database", ch.database()),
                        text("clickhouse.username", ch.username()),
                        text("clickhouse.password", ch.password())),
                queryCache(d.queryCache()),
                prometheus(d.prometheus()),
                remoteWrite(d.remoteWrite()));
    }

    /** The Prometheus API: its engine's lookback, sample limit and timeout, and the series limit per selection. */
    private PrometheusApiConfig prometheus(PrometheusApiConfig d) {
        EngineOptions engine = d.engine();
        try {
            return d.withEngine(new EngineOptions(
                            duration("query.prometheus.lookback_delta", engine.lookbackDelta()),
                            positiveLong("query.prometheus.max_samples", engine.maxSamples()),
                            duration("query.prometheus.timeout", engine.timeout()),
                            engine.defaultSubqueryStep()))
                    .withMaxSeries(positiveInt("query.prometheus.max_series", d.maxSeries()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("query.prometheus: " + e.getMessage(), e);
        }
    }

    private RemoteWriteConfig remoteWrite(RemoteWriteConfig d) {
        return new RemoteWriteConfig(
                positiveLong("ingest.remote_write.max_tracked_series", d.maxTrackedSeries()),
                positiveLong("ingest.remote_write.max_metric_families", d.maxMetricFamilies()));
    }

    /** The query API's result cache; the grace may be 0 (a range is closed as soon as it ended). */
    private QueryCacheConfig queryCache(QueryCacheConfig d) {
        boolean enabled = bool("query.cache.enabled", d.enabled());
        Duration ttl = duration("query.cache.ttl", d.ttl());
        long maxBytes = size("query.cache.max_bytes", d.maxBytes());
        Duration closedGrace = duration("query.cache.closed_grace", d.closedGrace(), true);
        try {
            return new QueryCacheConfig(enabled, ttl, maxBytes, closedGrace);
        } catch (IllegalArgumentException e) {
            // The message names the field: ttl or closedGrace.
            throw new ConfigException("query.cache: " + e.getMessage(), e);
        }
    }

    /** The cold tier: off unless {@code storage.cold.after} is set, then with a valid bucket to move blocks to. */
    private ServerConfig.Cold cold(ServerConfig.Cold d, Path dataDirectory) {
        Setting after = settings.get("storage.cold.after");
        ServerConfig.Cold cold = new ServerConfig.Cold(
                after == null || after.value().isBlank() ? null : duration("storage.cold.after", null),
                text("storage.cold.s3.endpoint", d.endpoint()),
                text("storage.cold.s3.region", d.region()),
                text("storage.cold.s3.bucket", d.bucket()),
                text("storage.cold.s3.prefix", d.prefix()),
                text("storage.cold.s3.access_key", d.accessKey()),
                text("storage.cold.s3.secret_key", d.secretKey()),
                settings.containsKey("storage.cold.cache_dir") ? Path.of(text("storage.cold.cache_dir", ""))
                        : dataDirectory.resolve("cold-cache"),
                size("storage.cold.cache_bytes", d.cacheBytes()));
        if (cold.after() == null) {
            return cold;
        }
        for (String key : new String[] {"storage.cold.s3.endpoint", "storage.cold.s3.bucket"}) {
            if (text(key, "").isEmpty()) {
                throw new ConfigException(key + ": not set (expected: set when storage.cold.after is set, from "
                        + settings.get("storage.cold.after").source() + ")");
            }
        }
        try {
            cold.s3Config();
        } catch (IllegalArgumentException e) {
            // S3Config names the field: endpoint, region, bucket, prefix, accessKey or secretKey.
            throw new ConfigException("storage.cold.s3: " + e.getMessage(), e);
        }
        return cold;
    }

    private String text(String key, String defaultValue) {
        Setting s = settings.get(key);
        return s == null ? defaultValue : s.value().trim();
    }

    private boolean bool(String key, boolean defaultValue) {
        Setting s = settings.get(key);
        if (s == null) {
            return defaultValue;
        }
        return switch (s.value().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "is not a boolean (expected: true or false)");
        };
    }

    private int port(String key, int defaultValue) {
        Setting s = settings.get(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            int port = Integer.parseInt(s.value().trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(key, "is not a port (expected: an integer in 0..65535, 0 picks a free port)");
    }

    private int positiveInt(String key, int defaultValue) {
        long value = positiveLong(key, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw invalid(key, "is too large (expected: <= " + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private long positiveLong(String key, long defaultValue) {
        Setting s = settings.get(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(s.value().trim().replace("_", ""));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(key, "is not a positive integer (expected: > 0)");
    }

    private long size(String key, long defaultValue) {
        Setting s = settings.get(key);
        if (s == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(s.value().trim());
        if (m.matches()) {
            long multiplier = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT)) {
                case "KB" -> 1000L;
                case "KIB" -> 1024L;
                case "MB" -> 1000L * 1000;
                case "MIB" -> 1024L * 1024;
                case "GB" -> 1000L * 1000 * 1000;
                case "GIB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            try {
                long value = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
                if (value > 0) {
                    return value;
                }
            } catch (ArithmeticException | NumberFormatException ignored) {
                // reported below
            }
        }
        throw invalid(key, "is not a size (expected: a positive number of bytes, optionally with KiB, MiB, GiB,"
                + " KB, MB or GB)");
    }

    private Duration duration(String key, Duration defaultValue) {
        return duration(key, defaultValue, false);
    }

    private Duration duration(String key, Duration defaultValue, boolean zeroAllowed) {
        Setting s = settings.get(key);
        if (s == null) {
            return defaultValue;
        }
        String text = s.value().trim();
        Matcher m = DURATION.matcher(text);
        Duration value = null;
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            value = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                value = Duration.parse(text);
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        if (value == null || value.isNegative() || (value.isZero() && !zeroAllowed)) {
            throw invalid(key, zeroAllowed ? "is not a duration (expected: e.g. 0s, 500ms, 10s, 5m, 1h, 30d)"
                    : "is not a positive duration (expected: e.g. 500ms, 10s, 5m, 1h, 30d)");
        }
        return value;
    }

    private ConfigException invalid(String key, String problem) {
        Setting s = settings.get(key);
        return new ConfigException(key + ": \"" + s.value() + "\" from " + s.source() + " " + problem);
    }
}
