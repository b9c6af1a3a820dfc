package io.otelservices.query.prometheus.mapping;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.storage.WriteBatch;
import io.otelservices.storage.memory.InMemoryStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP-shaped metric points as the ingest module stores them, around a fixed time {@link #T0_MILLIS}: a resource
 * with {@code service.name}, {@code service.namespace}, {@code service.instance.id} and {@code host.name}, an
 * instrumentation scope, and builders for each point type.
 */
public final class OtlpPoints {

    public static final long T0_MILLIS = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();

    public static final Resource CHECKOUT = new Resource(Map.of("service.name", "checkout",
            "service.namespace", "shop", "service.instance.id", "checkout-1", "host.name", "node-a",
            "telemetry.sdk.language", "java"), 0, "");
    public static final Resource CART = new Resource(Map.of("service.name", "cart"), 0, "");
    public static final InstrumentationScope SCOPE =
            new InstrumentationScope("io.opentelemetry.http", "1.2.0", Map.of(), 0, "");

    private OtlpPoints() {}

    public static Point gauge(String name, double value) {
        return new Point(name, new MetricValue.Gauge(value));
    }

    public static Point counter(String name, double value) {
        return new Point(name, new MetricValue.Sum(value, AggregationTemporality.CUMULATIVE, true));
    }

    public static Point deltaCounter(String name, double value) {
        return new Point(name, new MetricValue.Sum(value, AggregationTemporality.DELTA, true));
    }

    public static Point upDownCounter(String name, double value, AggregationTemporality temporality) {
        return new Point(name, new MetricValue.Sum(value, temporality, false));
    }

    /** An explicit-bucket histogram with bounds {@code 0.1, 1} and the given per-bucket counts (3 of them). */
    public static Point histogram(String name, AggregationTemporality temporality, double sum, long... bucketCounts) {
        long count = 0;
        for (long bucket : bucketCounts) {
            count += bucket;
        }
        return new Point(name, new MetricValue.Histogram(count, sum, bucketCounts, new double[] {0.1, 1}, Double.NaN,
                Double.NaN, temporality));
    }

    public static Point summary(String name, long count, double sum, double p50, double p99) {
        return new Point(name, new MetricValue.Summary(count, sum, List.of(
                new MetricValue.ValueAtQuantile(0.5, p50), new MetricValue.ValueAtQuantile(0.99, p99))));
    }

    public static void write(InMemoryStorage storage, Point... points) {
        List<MetricPoint> built = new ArrayList<>();
        for (Point point : points) {
            built.add(point.build());
        }
        storage.writer().write(new WriteBatch(List.of(), List.of(), built, 0)).join();
    }

    /** One point; by default of {@link #CHECKOUT} and {@link #SCOPE}, at {@link #T0_MILLIS}, unit-less. */
    public static final class Point {
        private final String name;
        private final MetricValue value;
        private Resource resource = CHECKOUT;
        private InstrumentationScope scope = SCOPE;
        private String unit = "";
        private String description = "";
        private Map<String, String> metadata = Map.of();
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private long timeMillis = T0_MILLIS;
        private long extraNanos;
        private int flags;
        private final List<Exemplar> exemplars = new ArrayList<>();

        public Point(String name, MetricValue value) {
            this.name = name;
            this.value = value;
        }

        public Point resource(Resource resource) {
            this.resource = resource;
            return this;
        }

        public Point scope(InstrumentationScope scope) {
            this.scope = scope;
            return this;
        }

        public Point unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Point description(String description) {
            this.description = description;
            return this;
        }

        public Point metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Point attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        /** At {@link #T0_MILLIS} plus {@code seconds}. */
        public Point at(double seconds) {
            long nanos = Math.round(seconds * 1e9);
            this.timeMillis = T0_MILLIS + Math.floorDiv(nanos, 1_000_000L);
            this.extraNanos = Math.floorMod(nanos, 1_000_000L);
            return this;
        }

        public Point noRecordedValue() {
            this.flags = MetricPoint.FLAG_NO_RECORDED_VALUE;
            return this;
        }

        public Point exemplar(double seconds, double value, String traceId, Map<String, String> filtered) {
            long nanos = T0_MILLIS * 1_000_000L + Math.round(seconds * 1e9);
            exemplars.add(new Exemplar(nanos, value, traceId, traceId.isEmpty() ? "" : "00f067aa0ba902b7",
                    filtered));
            return this;
        }

        public MetricPoint build() {
            long timeNanos = timeMillis * 1_000_000L + extraNanos;
            return new MetricPoint(resource, scope, resource.serviceName(), name, description, unit, metadata,
                    attributes, timeNanos - 60_000_000_000L, timeNanos, flags, exemplars, value);
        }
    }
}
