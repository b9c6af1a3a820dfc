package io.otelservices.bench;

import static io.otelservices.bench.OtlpValues.integer;
import static io.otelservices.bench.OtlpValues.string;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.otelservices.bench.ServiceCatalog.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic metric exports as OTLP protobuf, deterministic for a seed: every instance of the {@link ServiceCatalog}
 * exports a collection every 10 s (simulated time) holding its HTTP or RPC server duration histograms per
 * route/method and status, database operation duration histograms, runtime metrics (memory, CPU, threads, GC,
 * classes) and two delta counters. Histograms use the semantic conventions' explicit buckets and cumulative
 * temporality, so counts grow from collection to collection. Not thread-safe.
 */
final class MetricFleet {

    static final double[] HTTP_SECONDS_BUCKETS =
            {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    static final double[] RPC_MILLIS_BUCKETS =
            {0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000};
    static final double[] DB_SECONDS_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};
    static final double[] GC_SECONDS_BUCKETS = {0.01, 0.1, 1, 10};
    private static final long COLLECTION_INTERVAL_NANOS = 10_000_000_000L;

    private static final InstrumentationScope SERVER_SCOPE = OtlpValues.scope("io.opentelemetry.instrumentation", "2.33.1");
    private static final InstrumentationScope RUNTIME_SCOPE =
            OtlpValues.scope("io.opentelemetry.runtime-telemetry-java17", "2.33.1");

    private enum Kind { HISTOGRAM, CUMULATIVE_COUNTER, UP_DOWN_COUNTER, GAUGE, DELTA_COUNTER }

    private record Definition(String name, String description, String unit, Kind kind, double[] bounds,
            boolean runtime, double scale) {}

    /** One time series' state; cumulative values only grow. */
    private static final class Series {
        final List<KeyValue> attributes;
        final long[] bucketCounts;
        final double medianSeconds;
        final double weight;
        long count;
        double sum;
        double value;

        Series(List<KeyValue> attributes, int buckets, double medianSeconds, double weight) {
            this.attributes = attributes;
            this.bucketCounts = new long[buckets];
            this.medianSeconds = medianSeconds;
            this.weight = weight;
        }
    }

    private static final class Instance {
        final int resource;
        final List<Definition> definitions = new ArrayList<>();
        final List<List<Series>> series = new ArrayList<>();
        final long startNanos;
        int collections;

        Instance(int resource, long startNanos) {
            this.resource = resource;
            this.startNanos = startNanos;
        }

        List<Series> define(Definition definition) {
            definitions.add(definition);
            List<Series> list = new ArrayList<>();
            series.add(list);
            return list;
        }
    }

    private final SplittableRandom random;
    private final ServiceCatalog catalog;
    private final List<Instance> instances = new ArrayList<>();
    private final long baseNanos;
    private int next;

    MetricFleet(long seed, ServiceCatalog catalog, long baseNanos) {
        this.random = new SplittableRandom(seed ^ 0x3E7A_1C5L);
        this.catalog = catalog;
        this.baseNanos = baseNanos;
        List<Service> services = ServiceCatalog.allServices();
        for (int resource = 0; resource < catalog.resourceCount(); resource++) {
            Service service = services.get(resource / ServiceCatalog.INSTANCES_PER_SERVICE);
            Instance instance = new Instance(resource, baseNanos - (long) (random.nextDouble() * 86_400e9));
            defineServer(instance, service);
            defineRuntime(instance);
            instances.add(instance);
        }
    }

    private void defineServer(Instance instance, Service service) {
        if (service.grpc()) {
            List<Series> rpc = instance.define(new Definition("rpc.server.duration",
                    "Measures the duration of inbound RPC.", "ms", Kind.HISTOGRAM, RPC_MILLIS_BUCKETS, false, 1000));
            for (String method : service.operations()) {
                double median = 0.002 + random.nextDouble() * 0.08;
                for (int code : new int[] {0, 2, 14}) {
                    rpc.add(new Series(List.of(string("rpc.system", "grpc"), string("rpc.service", service.rpcService()),
                            string("rpc.method", method), integer("rpc.grpc.status_code", code)),
                            RPC_MILLIS_BUCKETS.length + 1, median * (code == 0 ? 1 : 3), code == 0 ? 1 : 0.02));
                }
            }
        } else {
            List<Series> http = instance.define(new Definition("http.server.request.duration",
                    "Duration of HTTP server requests.", "s", Kind.HISTOGRAM, HTTP_SECONDS_BUCKETS, false, 1));
            List<Series> active = instance.define(new Definition("http.server.active_requests",
                    "Number of active HTTP server requests.", "{request}", Kind.UP_DOWN_COUNTER, null, false, 1));
            for (String operation : service.operations()) {
                int space = operation.indexOf(' ');
                String method = space < 0 ? "POST" : operation.substring(0, space);
                String route = space < 0 ? "/" + operation : operation.substring(space + 1);
                double median = 0.005 + random.nextDouble() * 0.2;
                List<Integer> codes = new ArrayList<>(List.of(200, 500));
                if (method.equals("GET") && route.contains("{")) {
                    codes.add(404);
                }
                for (int code : codes) {
                    http.add(new Series(List.of(string("http.request.method", method), string("http.route", route),
                            integer("http.response.status_code", code), string("url.scheme", "http"),
                            string("network.protocol.version", "1.1")), HTTP_SECONDS_BUCKETS.length + 1,
                            median * (code == 500 ? 4 : 1), code == 200 ? 1 : 0.03));
                }
            }
            for (String method : new String[] {"GET", "POST"}) {
                active.add(new Series(List.of(string("http.request.method", method), string("url.scheme", "http")),
                        0, 0, 1));
            }
        }
        if (service.hasDatabase()) {
            List<Series> db = instance.define(new Definition("db.client.operation.duration",
                    "Duration of database client operations.", "s", Kind.HISTOGRAM, DB_SECONDS_BUCKETS, false, 1));
            String[] operations = service.dbSystem().equals("redis") ? new String[] {"GET", "SET", "HGETALL"}
                    : service.dbSystem().equals("elasticsearch") ? new String[] {"search"}
                    : new String[] {"SELECT", "INSERT", "UPDATE"};
            for (String table : service.tables()) {
                for (String operation : operations) {
                    db.add(new Series(List.of(string("db.system", service.dbSystem()), string("db.namespace", "shop"),
                            string("db.collection.name", table), string("db.operation.name", operation)),
                            DB_SECONDS_BUCKETS.length + 1, 0.0005 + random.nextDouble() * 0.02, 1));
                }
            }
        }
        List<Series> queue = instance.define(new Definition("app.queue.messages.processed",
                "Messages processed since the last export.", "{message}", Kind.DELTA_COUNTER, null, false, 1));
        List<Series> cache = instance.define(new Definition("app.cache.requests",
                "Cache lookups since the last export.", "{request}", Kind.DELTA_COUNTER, null, false, 1));
        for (String name : new String[] {"orders", "notifications"}) {
            queue.add(new Series(List.of(string("messaging.destination.name", name)), 0, 0, 1));
        }
        for (String result : new String[] {"hit", "miss"}) {
            cache.add(new Series(List.of(string("cache.result", result)), 0, 0, 1));
        }
    }

    private void defineRuntime(Instance instance) {
        List<Series> memory = instance.define(new Definition("jvm.memory.used", "Measure of memory used.", "By",
                Kind.UP_DOWN_COUNTER, null, true, 1));
        String[][] pools = {{"heap", "G1 Eden Space"}, {"heap", "G1 Old Gen"}, {"heap", "G1 Survivor Space"},
            {"non_heap", "Metaspace"}, {"non_heap", "CodeHeap 'non-nmethods'"}, {"non_heap", "Compressed Class Space"}};
        for (String[] pool : pools) {
            Series series = new Series(List.of(string("jvm.memory.type", pool[0]),
                    string("jvm.memory.pool.name", pool[1])), 0, 0, 1);
            series.value = 1e6 + random.nextDouble() * 3e8;
            memory.add(series);
        }
        instance.define(new Definition("jvm.cpu.recent_utilization", "Recent CPU utilization for the process.", "1",
                Kind.GAUGE, null, true, 1)).add(new Series(List.of(), 0, 0, 1));
        List<Series> threads = instance.define(new Definition("jvm.thread.count", "Number of executing threads.",
                "{thread}", Kind.UP_DOWN_COUNTER, null, true, 1));
        for (String state : new String[] {"runnable", "blocked", "waiting", "timed_waiting"}) {
            threads.add(new Series(List.of(string("jvm.thread.state", state), OtlpValues.bool("jvm.thread.daemon", true)),
                    0, 0, 1));
        }
        List<Series> gc = instance.define(new Definition("jvm.gc.duration",
                "Duration of JVM garbage collection actions.", "s", Kind.HISTOGRAM, GC_SECONDS_BUCKETS, true, 1));
        gc.add(new Series(List.of(string("jvm.gc.name", "G1 Young Generation"),
                string("jvm.gc.action", "end of minor GC")), GC_SECONDS_BUCKETS.length + 1, 0.008, 0.1));
        gc.add(new Series(List.of(string("jvm.gc.name", "G1 Old Generation"),
                string("jvm.gc.action", "end of major GC")), GC_SECONDS_BUCKETS.length + 1, 0.2, 0.005));
        instance.define(new Definition("jvm.class.loaded", "Number of classes loaded since JVM start.", "{class}",
                Kind.CUMULATIVE_COUNTER, null, true, 1)).add(new Series(List.of(), 0, 0, 1));
    }

    /** The next instance's next collection; {@code points[0]} receives its number of data points. */
    ResourceMetrics nextCollection(int[] points) {
        Instance instance = instances.get(next);
        next = (next + 1) % instances.size();
        long time = baseNanos + instance.collections * COLLECTION_INTERVAL_NANOS
                + (long) instance.resource * (COLLECTION_INTERVAL_NANOS / instances.size());
        long previous = time - COLLECTION_INTERVAL_NANOS;
        instance.collections++;
        ScopeMetrics.Builder server = ScopeMetrics.newBuilder().setScope(SERVER_SCOPE);
        ScopeMetrics.Builder runtime = ScopeMetrics.newBuilder().setScope(RUNTIME_SCOPE);
        int count = 0;
        for (int d = 0; d < instance.definitions.size(); d++) {
            Definition definition = instance.definitions.get(d);
            Metric.Builder metric = Metric.newBuilder().setName(definition.name())
                    .setDescription(definition.description()).setUnit(definition.unit());
            List<Series> seriesList = instance.series.get(d);
            switch (definition.kind()) {
                case HISTOGRAM -> {
                    Histogram.Builder histogram = Histogram.newBuilder()
                            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                    for (Series series : seriesList) {
                        observe(series, definition);
                        HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
                                .addAllAttributes(series.attributes)
                                .setStartTimeUnixNano(instance.startNanos).setTimeUnixNano(time)
                                .setCount(series.count).setSum(series.sum);
                        for (long bucket : series.bucketCounts) {
                            point.addBucketCounts(bucket);
                        }
                        for (double bound : definition.bounds()) {
                            point.addExplicitBounds(bound);
                        }
                        histogram.addDataPoints(point);
                    }
                    metric.setHistogram(histogram);
                }
                case GAUGE -> {
                    Gauge.Builder gauge = Gauge.newBuilder();
                    for (Series series : seriesList) {
                        gauge.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(series.attributes)
                                .setTimeUnixNano(time).setAsDouble(0.02 + random.nextDouble() * 0.8));
                    }
                    metric.setGauge(gauge);
                }
                default -> {
                    boolean delta = definition.kind() == Kind.DELTA_COUNTER;
                    Sum.Builder sum = Sum.newBuilder()
                            .setIsMonotonic(definition.kind() != Kind.UP_DOWN_COUNTER)
                            .setAggregationTemporality(delta
                                    ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                                    : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                    for (Series series : seriesList) {
                        NumberDataPoint.Builder point = NumberDataPoint.newBuilder()
                                .addAllAttributes(series.attributes)
                                .setStartTimeUnixNano(delta ? previous : instance.startNanos).setTimeUnixNano(time);
                        switch (definition.kind()) {
                            case DELTA_COUNTER -> point.setAsInt(random.nextInt(5_000));
                            case CUMULATIVE_COUNTER -> {
                                series.value += 8_000 + random.nextInt(20);
                                point.setAsInt((long) series.value);
                            }
                            default -> {
                                series.value = Math.max(0, series.value * (0.9 + 0.2 * random.nextDouble())
                                        + random.nextInt(20));
                                point.setAsInt((long) series.value);
                            }
                        }
                        sum.addDataPoints(point);
                    }
                    metric.setSum(sum);
                }
            }
            count += seriesList.size();
            (definition.runtime() ? runtime : server).addMetrics(metric);
        }
        points[0] = count;
        return ResourceMetrics.newBuilder().setResource(catalog.resource(instance.resource))
                .addScopeMetrics(server).addScopeMetrics(runtime)
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0").build();
    }

    /** Adds one interval's observations: log-normal around the series' median. */
    private void observe(Series series, Definition definition) {
        int observations = (int) Math.round((5 + random.nextInt(150)) * series.weight);
        double[] bounds = definition.bounds();
        for (int i = 0; i < observations; i++) {
            double u = 1.0 - random.nextDouble();
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            double value = series.medianSeconds * Math.exp(0.8 * gaussian) * definition.scale();
            int bucket = 0;
            while (bucket < bounds.length && value > bounds[bucket]) {
                bucket++;
            }
            series.bucketCounts[bucket]++;
            series.count++;
            series.sum += value;
        }
    }
}
