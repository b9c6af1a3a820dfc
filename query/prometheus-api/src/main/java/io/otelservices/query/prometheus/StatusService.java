package io.otelservices.query.prometheus;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.query.promql.EngineOptions;
import io.otelservices.query.promql.parser.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The status endpoints that clients such as Grafana probe: build information, runtime information, flags, an
 * empty configuration, and no targets, rules or alerts (otelservices receives data, it does not scrape or evaluate
 * rules). Field names are Prometheus'. Thread-safe.
 */
final class StatusService {

    /**
     * The Prometheus version {@code buildinfo} reports. Grafana reads {@code version} to decide which Prometheus
     * features a data source has; 2.53 is the last 2.x long-term-support release, and its API (limits on series and
     * label lookups, info annotations, {@code format_query}) is the one served here.
     */
    static final String PROMETHEUS_VERSION = "2.53.0";

    private final Instant startTime;
    private final String otelservicesVersion;
    private final Map<String, String> flags;

    StatusService(Instant startTime, EngineOptions engine) {
        this.startTime = startTime;
        this.otelservicesVersion = readVersion();
        Map<String, String> flags = new TreeMap<>();
        flags.put("query.lookback-delta", Durations.format(engine.lookbackDelta().toMillis()));
        flags.put("query.max-samples", Long.toString(engine.maxSamples()));
        flags.put("query.timeout", Durations.format(engine.timeout().toMillis()));
        this.flags = Collections.unmodifiableMap(flags);
    }

    ApiResult buildInfo(ServiceRequestContext ctx, RequestParams params) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            json.writeStringField("version", PROMETHEUS_VERSION);
            json.writeStringField("revision", "otelservices-" + otelservicesVersion);
            json.writeStringField("branch", "otelservices");
            json.writeStringField("buildUser", "otelservices");
            json.writeStringField("buildDate", "");
            json.writeStringField("goVersion", "java" + Runtime.version().feature());
            json.writeEndObject();
        });
    }

    ApiResult runtimeInfo(ServiceRequestContext ctx, RequestParams params) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            json.writeStringField("startTime", startTime.toString());
            json.writeStringField("CWD", System.getProperty("user.dir", ""));
            json.writeBooleanField("reloadConfigSuccess", true);
            json.writeStringField("lastConfigTime", startTime.toString());
            json.writeNumberField("corruptionCount", 0);
            json.writeNumberField("goroutineCount", Thread.activeCount());
            json.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
            json.writeStringField("GOGC", "");
            json.writeStringField("GODEBUG", "");
            json.writeStringField("storageRetention", "");
            json.writeEndObject();
        });
    }

    ApiResult flags(ServiceRequestContext ctx, RequestParams params) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            for (Map.Entry<String, String> flag : flags.entrySet()) {
                json.writeStringField(flag.getKey(), flag.getValue());
            }
            json.writeEndObject();
        });
    }

    ApiResult config(ServiceRequestContext ctx, RequestParams params) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            json.writeStringField("yaml", "");
            json.writeEndObject();
        });
    }

    ApiResult targets(ServiceRequestContext ctx, RequestParams params) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("activeTargets");
            json.writeEndArray();
            json.writeArrayFieldStart("droppedTargets");
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    ApiResult rules(ServiceRequestContext ctx, RequestParams params) {
        return emptyList("groups");
    }

    ApiResult alerts(ServiceRequestContext ctx, RequestParams params) {
        return emptyList("alerts");
    }

    private static ApiResult emptyList(String field) {
        return ApiResult.of(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart(field);
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** This module's version, from the properties file Maven filters at build time. */
    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = StatusService.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
        String version = properties.getProperty("version", "");
        return version.isEmpty() || version.startsWith("${") ? "dev" : version;
    }
}
