package io.otelservices.storage.contract;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import io.otelservices.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Realistic model objects, built by hand, with every field set to something other than its default so that a
 * backend that drops or mixes up a field fails the round-trip tests. Builders start from such a fully populated
 * object; tests change only what they are about.
 */
public final class StorageFixtures {

    /** 2026-01-01T00:00:00Z in Unix epoch nanoseconds: the time all fixtures are placed around. */
    public static final long BASE_NANOS = 1_767_225_600_000_000_000L;
    public static final long MILLI = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;

    private StorageFixtures() {}

    /** The {@code n}-th trace id: 32 lower-case hex characters, never all zero. */
    public static String traceId(int n) {
        return "5b8efff798038103" + String.format(Locale.ROOT, "%016x", n + 1L);
    }

    /** The {@code n}-th span id: 16 lower-case hex characters, never all zero. */
    public static String spanId(int n) {
        return String.format(Locale.ROOT, "%016x", 0xeee19b7ec3c1b100L + n + 1);
    }

    /** A resource of {@code serviceName} with the attributes SDKs usually send, non-string ones as JSON text. */
    public static Resource resource(String serviceName) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("service.name", serviceName);
        attributes.put("service.version", "1.4.2");
        attributes.put("service.instance.id", "627cc493-f310-47de-96bd-71410b7dec09");
        attributes.put("deployment.environment.name", "production");
        attributes.put("host.name", "node-7.eu-west-1.compute.internal");
        attributes.put("k8s.pod.name", serviceName + "-7d9f8b6c5d-x2k4p");
        attributes.put("telemetry.sdk.language", "java");
        attributes.put("telemetry.sdk.version", "1.67.0");
        attributes.put("process.pid", "4711");
        return new Resource(attributes, 1, "https://opentelemetry.io/schemas/1.26.0");
    }

    /** An instrumentation scope with attributes, a dropped count and a schema URL. */
    public static InstrumentationScope scope() {
        return new InstrumentationScope("io.opentelemetry.armeria-1.3", "2.33.1-alpha",
                Map.of("otel.scope.kind", "library", "sampled", "true"), 2,
                "https://opentelemetry.io/schemas/1.24.0");
    }

    /** A fully populated server span; see {@link SpanBuilder} for what it sets. */
    public static SpanBuilder span(String traceId, String spanId) {
        return new SpanBuilder(traceId, spanId);
    }

    /** A fully populated log record; see {@link LogBuilder}. */
    public static LogBuilder log(long timestampNanos) {
        return new LogBuilder(timestampNanos);
    }

    /** A fully populated metric point with {@code value}; see {@link PointBuilder}. */
    public static PointBuilder point(String metricName, long timeNanos, MetricValue value) {
        return new PointBuilder(metricName, timeNanos, value);
    }

    public static WriteBatch spans(long walSequence, Span... spans) {
        return new WriteBatch(List.of(spans), List.of(), List.of(), walSequence);
    }

    public static WriteBatch spans(long walSequence, List<Span> spans) {
        return new WriteBatch(spans, List.of(), List.of(), walSequence);
    }

    public static WriteBatch logs(long walSequence, List<LogRecord> logs) {
        return new WriteBatch(List.of(), logs, List.of(), walSequence);
    }

    public static WriteBatch points(long walSequence, List<MetricPoint> points) {
        return new WriteBatch(List.of(), List.of(), points, walSequence);
    }

    /** A gauge value. */
    public static MetricValue.Gauge gauge(double value) {
        return new MetricValue.Gauge(value);
    }

    /** A cumulative monotonic sum. */
    public static MetricValue.Sum sum(double value) {
        return new MetricValue.Sum(value, AggregationTemporality.CUMULATIVE, true);
    }

    /** A delta histogram with five buckets, min and max. */
    public static MetricValue.Histogram histogram() {
        return new MetricValue.Histogram(42, 1234.5, new long[] {1, 5, 20, 10, 6}, new double[] {5, 10, 50, 100},
                0.25, 480.0, AggregationTemporality.DELTA);
    }

    /** A histogram without min, max and sum ({@code NaN}), and with count only (no buckets). */
    public static MetricValue.Histogram histogramWithoutMinMax() {
        return new MetricValue.Histogram(7, Double.NaN, new long[0], new double[0], Double.NaN, Double.NaN,
                AggregationTemporality.CUMULATIVE);
    }

    /** A cumulative exponential histogram with buckets on both sides of zero. */
    public static MetricValue.ExponentialHistogram exponentialHistogram() {
        return new MetricValue.ExponentialHistogram(31, 17.75, 3, 2, 1e-9, -2, new long[] {1, 0, 4, 9},
                1, new long[] {3, 12}, -4.5, 9.25, AggregationTemporality.CUMULATIVE);
    }

    /** An exponential histogram with NaN min and max and no negative buckets. */
    public static MetricValue.ExponentialHistogram exponentialHistogramWithoutMinMax() {
        return new MetricValue.ExponentialHistogram(3, Double.NaN, 0, 3, 0.0, 0, new long[0], 0, new long[0],
                Double.NaN, Double.NaN, AggregationTemporality.DELTA);
    }

    /** A summary with four quantiles. */
    public static MetricValue.Summary summary() {
        return new MetricValue.Summary(100, 2523.75, List.of(
                new MetricValue.ValueAtQuantile(0.0, 1.5),
                new MetricValue.ValueAtQuantile(0.5, 20.25),
                new MetricValue.ValueAtQuantile(0.99, 180.0),
                new MetricValue.ValueAtQuantile(1.0, 240.5)));
    }

    /** Two exemplars: one with trace context and filtered attributes, one bare. */
    public static List<Exemplar> exemplars(long timeNanos) {
        return List.of(
                new Exemplar(timeNanos - 3 * MILLI, 312.5, traceId(900), spanId(900),
                        Map.of("http.route", "/checkout", "user.tier", "gold")),
                new Exemplar(timeNanos - MILLI, -0.5, "", "", Map.of()));
    }

    /** Builds a {@link Span}; starts fully populated: events, a link, attributes of all JSON shapes. */
    public static final class SpanBuilder {
        private final String traceId;
        private final String spanId;
        private String parentSpanId = "";
        private String serviceName = "checkout";
        private Resource resource;
        private String spanName = "POST /api/checkout";
        private String spanKind = Span.SpanKind.SERVER;
        private long startNanos = BASE_NANOS;
        private long durationNanos = 25 * MILLI;
        private String statusCode = Span.StatusCode.OK;
        private String statusMessage = "";
        private final Map<String, String> attributes = new HashMap<>();
        private List<SpanEvent> events;
        private List<SpanLink> links;

        SpanBuilder(String traceId, String spanId) {
            this.traceId = requireNonNull(traceId, "traceId");
            this.spanId = requireNonNull(spanId, "spanId");
            attributes.put("http.request.method", "POST");
            attributes.put("http.route", "/api/checkout");
            attributes.put("url.full", "https://shop.example.com/api/checkout?cart=7731");
            attributes.put("http.response.status_code", "200");
            attributes.put("server.address", "shop.example.com");
            attributes.put("server.port", "443");
            attributes.put("network.protocol.version", "2");
            attributes.put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0");
            attributes.put("client.address", "203.0.113.9");
            attributes.put("app.cart.items", "[\"sku-1\",\"sku-2\"]");
            attributes.put("app.cart.total", "129.9");
            attributes.put("app.feature.enabled", "true");
            attributes.put("app.request.meta", "{\"retry\":0,\"region\":\"eu\"}");
            attributes.put("thread.name", "armeria-common-worker-epoll-3-2");
            attributes.put("thread.id", "87");
        }

        public SpanBuilder parent(String parentSpanId) {
            this.parentSpanId = requireNonNull(parentSpanId, "parentSpanId");
            return this;
        }

        public SpanBuilder service(String serviceName) {
            this.serviceName = requireNonNull(serviceName, "serviceName");
            return this;
        }

        /** Overrides the resource; by default it is {@link #resource(String)} of the service. */
        public SpanBuilder resource(Resource resource) {
            this.resource = requireNonNull(resource, "resource");
            return this;
        }

        public SpanBuilder name(String spanName) {
            this.spanName = requireNonNull(spanName, "spanName");
            return this;
        }

        public SpanBuilder kind(String spanKind) {
            this.spanKind = requireNonNull(spanKind, "spanKind");
            return this;
        }

        public SpanBuilder start(long startNanos) {
            this.startNanos = startNanos;
            return this;
        }

        public SpanBuilder duration(long durationNanos) {
            this.durationNanos = durationNanos;
            return this;
        }

        /** Status {@code Error} with a message. */
        public SpanBuilder error(String message) {
            this.statusCode = Span.StatusCode.ERROR;
            this.statusMessage = requireNonNull(message, "message");
            return this;
        }

        public SpanBuilder status(String statusCode) {
            this.statusCode = requireNonNull(statusCode, "statusCode");
            return this;
        }

        public SpanBuilder attribute(String key, String value) {
            attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        public SpanBuilder noEventsOrLinks() {
            events = List.of();
            links = List.of();
            return this;
        }

        public Span build() {
            List<SpanEvent> spanEvents = events != null ? events : List.of(
                    new SpanEvent(startNanos + 2 * MILLI, "cache.miss", Map.of("cache.key", "cart:7731"), 0),
                    new SpanEvent(startNanos + 5 * MILLI, "exception", Map.of(
                            "exception.type", "java.net.SocketTimeoutException",
                            "exception.message", "Read timed out after 3000 ms",
                            "exception.escaped", "false"), 1),
                    new SpanEvent(startNanos + 6 * MILLI, "", Map.of(), 0));
            List<SpanLink> spanLinks = links != null ? links : List.of(
                    new SpanLink(traceId(777), spanId(777), "rojo=00f067aa0ba902b7", 0x101,
                            Map.of("link.kind", "follows_from"), 3));
            Resource spanResource = resource != null ? resource : StorageFixtures.resource(serviceName);
            return new Span(startNanos, traceId, spanId, parentSpanId, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
                    0x301, spanName, spanKind, serviceName, spanResource, scope(), attributes, 4, durationNanos,
                    statusCode, statusMessage, spanEvents, 5, spanLinks, 6);
        }
    }

    /** Builds a {@link LogRecord}; starts fully populated with trace context, attributes and an event name. */
    public static final class LogBuilder {
        private final long timestampNanos;
        private String serviceName = "checkout";
        private int severityNumber = 9;
        private String severityText = "INFO";
        private String body = "order 7731 placed by user alice";
        private String traceId = traceId(1);
        private String spanId = spanId(1);
        private final Map<String, String> attributes = new LinkedHashMap<>();

        LogBuilder(long timestampNanos) {
            this.timestampNanos = timestampNanos;
            attributes.put("log.logger", "shop.checkout.OrderService");
            attributes.put("thread.name", "worker-3");
            attributes.put("code.lineno", "217");
            attributes.put("order.id", "7731");
        }

        public LogBuilder service(String serviceName) {
            this.serviceName = requireNonNull(serviceName, "serviceName");
            return this;
        }

        /** Sets the number and the matching short text ({@code ERROR2} for 18). */
        public LogBuilder severity(int severityNumber) {
            this.severityNumber = severityNumber;
            this.severityText = severityText(severityNumber);
            return this;
        }

        public LogBuilder body(String body) {
            this.body = requireNonNull(body, "body");
            return this;
        }

        /** Trace context; empty strings for none. */
        public LogBuilder trace(String traceId, String spanId) {
            this.traceId = requireNonNull(traceId, "traceId");
            this.spanId = requireNonNull(spanId, "spanId");
            return this;
        }

        public LogBuilder attribute(String key, String value) {
            attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        public LogRecord build() {
            return new LogRecord(timestampNanos, timestampNanos + 3 * MILLI, traceId, spanId,
                    traceId.isEmpty() ? 0 : 1, severityText, severityNumber, serviceName, body,
                    resource(serviceName), scope(), attributes, 3, severityNumber >= 17 ? "app.failure" : "");
        }

        private static String severityText(int number) {
            if (number < 1 || number > 24) {
                return "";
            }
            String[] names = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
            int offset = (number - 1) % 4;
            return names[(number - 1) / 4] + (offset == 0 ? "" : Integer.toString(offset + 1));
        }
    }

    /** The metric metadata of a {@link PointBuilder}'s point unless it sets its own. */
    public static final Map<String, String> DEFAULT_METRIC_METADATA = Map.of("prometheus.type", "histogram");

    /** Builds a {@link MetricPoint}; starts with metadata, attributes, exemplars and a start time. */
    public static final class PointBuilder {
        private final String metricName;
        private final long timeNanos;
        private final MetricValue value;
        private String serviceName = "checkout";
        private String description = "Duration of HTTP server requests.";
        private String unit = "ms";
        private Map<String, String> metadata = DEFAULT_METRIC_METADATA;
        private Map<String, String> attributes = new LinkedHashMap<>();
        private Resource resource;
        private List<Exemplar> exemplars;
        private int flags;

        PointBuilder(String metricName, long timeNanos, MetricValue value) {
            this.metricName = requireNonNull(metricName, "metricName");
            this.timeNanos = timeNanos;
            this.value = requireNonNull(value, "value");
            attributes.put("http.request.method", "GET");
            attributes.put("http.route", "/api/cart");
            attributes.put("http.response.status_code", "200");
        }

        public PointBuilder service(String serviceName) {
            this.serviceName = requireNonNull(serviceName, "serviceName");
            return this;
        }

        public PointBuilder description(String description) {
            this.description = requireNonNull(description, "description");
            return this;
        }

        /** Replaces the metric metadata ({@link #DEFAULT_METRIC_METADATA} by default). */
        public PointBuilder metadata(Map<String, String> metadata) {
            this.metadata = Map.copyOf(requireNonNull(metadata, "metadata"));
            return this;
        }

        public PointBuilder unit(String unit) {
            this.unit = requireNonNull(unit, "unit");
            return this;
        }

        /** Replaces all point attributes, keeping their iteration order. */
        public PointBuilder attributes(Map<String, String> attributes) {
            this.attributes = new LinkedHashMap<>(requireNonNull(attributes, "attributes"));
            return this;
        }

        public PointBuilder attribute(String key, String value) {
            attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** Overrides the resource; by default it is {@link #resource(String)} of the service. */
        public PointBuilder resource(Resource resource) {
            this.resource = requireNonNull(resource, "resource");
            return this;
        }

        public PointBuilder exemplars(List<Exemplar> exemplars) {
            this.exemplars = new ArrayList<>(requireNonNull(exemplars, "exemplars"));
            return this;
        }

        public PointBuilder flags(int flags) {
            this.flags = flags;
            return this;
        }

        public MetricPoint build() {
            Resource pointResource = resource != null ? resource : StorageFixtures.resource(serviceName);
            return new MetricPoint(pointResource, scope(), serviceName, metricName, description, unit,
                    metadata, attributes, timeNanos - 60 * SECOND, timeNanos, flags,
                    exemplars != null ? exemplars : StorageFixtures.exemplars(timeNanos), value);
        }
    }
}
