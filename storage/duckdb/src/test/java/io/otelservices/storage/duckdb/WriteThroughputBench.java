package io.otelservices.storage.duckdb;

import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import io.otelservices.storage.WriteBatch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * End-to-end write throughput of {@link DuckDbStorage#writer()}: realistic spans in batches of 10,000, written one
 * batch after the other as the ingest writer does, timed as append (until the last table's rows are in) and commit.
 * A {@code main}, not a test, so that it never runs in the build; run it with the test classpath:
 *
 * <pre>{@code
 * ./mvnw -B -o -pl storage/duckdb test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g \
 *     -cp storage/duckdb/target/test-classes:storage/duckdb/target/classes:$(cat storage/duckdb/target/cp.txt) \
 *     io.otelservices.storage.duckdb.WriteThroughputBench [spans] [batchSize] [runs]
 * }</pre>
 *
 * <p>Each run writes into a fresh database; the first two batches of every run are warm-up and not counted. The
 * time includes closing the store (its final checkpoint). Prints spans/s, process CPU per span (steadier than
 * spans/s on a shared machine), the split between append, commit and close, and bytes per span of the database
 * file. {@code -Dbench.settings="SET ...; SET ..."} runs statements on the database first.
 */
final class WriteThroughputBench {

    private static final long BASE_NANOS = 1_767_225_600_000_000_000L;
    private static final int WARMUP_BATCHES = 2;

    private WriteThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int spans = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batches = spans / batchSize;
        SpanGenerator generator = new SpanGenerator(42);
        List<WriteBatch> all = new ArrayList<>();
        for (int b = 0; b < batches + WARMUP_BATCHES; b++) {
            all.add(new WriteBatch(generator.next(batchSize), List.of(), List.of(), b + 1));
        }
        System.out.printf(Locale.ROOT, "generated %d batches of %d spans%n", all.size(), batchSize);
        double[] rates = new double[runs];
        for (int run = 0; run < runs; run++) {
            rates[run] = runOnce(all, batchSize, run);
        }
        double[] sorted = rates.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT median %.0f spans/s over %d runs %s%n", sorted[runs / 2], runs,
                java.util.Arrays.toString(rates));
    }

    private static double runOnce(List<WriteBatch> all, int batchSize, int run) throws Exception {
        Path directory = Files.createTempDirectory("duckdb-bench");
        long[] lastAppendedAt = new long[1];
        try {
            DuckDbConfig config = DuckDbConfig.of(directory);
            DuckDbStorage storage = new DuckDbStorage(config, table -> lastAppendedAt[0] = System.nanoTime());
            applySettings(config);
            for (int b = 0; b < WARMUP_BATCHES; b++) {
                storage.writer().write(all.get(b)).get(60, TimeUnit.SECONDS);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            long appendNanos = 0;
            long commitNanos = 0;
            for (int b = WARMUP_BATCHES; b < all.size(); b++) {
                long batchStart = System.nanoTime();
                storage.writer().write(all.get(b)).get(60, TimeUnit.SECONDS);
                long done = System.nanoTime();
                appendNanos += lastAppendedAt[0] - batchStart;
                commitNanos += done - lastAppendedAt[0];
            }
            // Closing checkpoints what the write-ahead log still holds: work the writes left behind, so it counts.
            long closeStart = System.nanoTime();
            storage.close();
            long end = System.nanoTime();
            long elapsed = end - start;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long spans = (long) (all.size() - WARMUP_BATCHES) * batchSize;
            double rate = spans / (elapsed / 1e9);
            long bytes = Files.size(config.databaseFile());
            System.out.printf(Locale.ROOT,
                    "run %d: %d spans in %.2f s = %.0f spans/s; append %.2f s, commit %.2f s, close %.2f s; "
                            + "CPU %.2f s (%.1f us/span); file %.1f B/span%n",
                    run, spans, elapsed / 1e9, rate, appendNanos / 1e9, commitNanos / 1e9, (end - closeStart) / 1e9,
                    cpu / 1e9, cpu / 1e3 / spans, bytes / (double) ((long) all.size() * batchSize));
            return rate;
        } finally {
            deleteRecursively(directory);
        }
    }

    /** Runs the statements of {@code -Dbench.settings} (separated by {@code ;}), such as global DuckDB settings. */
    private static void applySettings(DuckDbConfig config) throws Exception {
        String settings = System.getProperty("bench.settings", "");
        if (settings.isBlank()) {
            return;
        }
        // Same file and settings, same process: the driver hands out a connection to the same database instance.
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("memory_limit", config.memoryLimit());
        properties.setProperty("threads", Integer.toString(config.duckDbThreads()));
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                "jdbc:duckdb:" + config.databaseFile().toAbsolutePath(), properties);
             java.sql.Statement statement = connection.createStatement()) {
            for (String sql : settings.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static void deleteRecursively(Path directory) throws Exception {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Spans shaped like those of instrumented HTTP/database services: 12 services with ~10 resource attributes
     * each, traces of 10 spans, 6-12 span attributes, an event on a third of the spans (an exception on some),
     * a link on one span in 20. Ids, times and some values are random, so the data compresses like real data.
     */
    static final class SpanGenerator {
        private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
        private static final String[] ROUTES = {"/api/v1/users/{id}", "/api/v1/orders", "/api/v1/orders/{id}",
            "/api/v1/cart", "/api/v1/checkout", "/api/v1/products", "/api/v1/products/{id}", "/health",
            "/api/v1/search", "/api/v1/recommendations"};
        private static final String[] STATEMENTS = {"SELECT * FROM users WHERE id = ?",
            "SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20",
            "INSERT INTO orders (user_id, total) VALUES (?, ?)", "UPDATE carts SET items = ? WHERE id = ?"};

        private final SplittableRandom random;
        private final Resource[] resources = new Resource[12];
        private final InstrumentationScope[] scopes;
        private long nanos = BASE_NANOS;

        SpanGenerator(long seed) {
            random = new SplittableRandom(seed);
            for (int i = 0; i < resources.length; i++) {
                String service = "service-" + i;
                Map<String, String> attributes = new HashMap<>();
                attributes.put("service.name", service);
                attributes.put("service.version", "1." + i + ".3");
                attributes.put("service.namespace", "shop");
                attributes.put("service.instance.id", String.format(Locale.ROOT, "%08x-f310-47de-96bd-71410b7dec09",
                        random.nextInt()));
                attributes.put("deployment.environment.name", "production");
                attributes.put("host.name", "node-" + (i % 5) + ".eu-west-1.compute.internal");
                attributes.put("k8s.namespace.name", "shop");
                attributes.put("k8s.pod.name", service + "-7d9f8b6c5d-x2k4p");
                attributes.put("k8s.node.name", "node-" + (i % 5));
                attributes.put("telemetry.sdk.language", "java");
                attributes.put("telemetry.sdk.version", "1.67.0");
                resources[i] = new Resource(attributes, 0, "https://opentelemetry.io/schemas/1.26.0");
            }
            scopes = new InstrumentationScope[] {
                new InstrumentationScope("io.opentelemetry.armeria-1.3", "2.33.1-alpha", Map.of(), 0, ""),
                new InstrumentationScope("io.opentelemetry.jdbc", "2.33.1-alpha", Map.of(), 0, ""),
                new InstrumentationScope("io.opentelemetry.okhttp-3.0", "2.33.1-alpha", Map.of(), 0, "")};
        }

        List<Span> next(int count) {
            List<Span> spans = new ArrayList<>(count);
            while (spans.size() < count) {
                String traceId = hex(random.nextLong()) + hex(random.nextLong());
                String rootId = hex(random.nextLong());
                int service = random.nextInt(resources.length);
                String route = ROUTES[random.nextInt(ROUTES.length)];
                String method = METHODS[random.nextInt(METHODS.length)];
                long traceStart = nanos;
                nanos += 1_000 + random.nextInt(200_000);
                for (int i = 0; i < 10 && spans.size() < count; i++) {
                    String spanId = i == 0 ? rootId : hex(random.nextLong());
                    int kind = i == 0 ? 0 : random.nextInt(3);
                    spans.add(span(traceId, spanId, i == 0 ? "" : rootId,
                            i == 0 ? service : random.nextInt(resources.length), route, method, kind,
                            traceStart + i * 50_000L + random.nextInt(10_000)));
                }
            }
            return spans;
        }

        private Span span(String traceId, String spanId, String parentId, int service, String route, String method,
                int kind, long start) {
            Map<String, String> attributes = new HashMap<>();
            String name;
            String spanKind;
            InstrumentationScope scope;
            boolean error = random.nextInt(50) == 0;
            if (kind == 0) {
                spanKind = Span.SpanKind.SERVER;
                scope = scopes[0];
                name = method + " " + route;
                attributes.put("http.request.method", method);
                attributes.put("http.route", route);
                attributes.put("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000))));
                attributes.put("http.response.status_code", error ? "500" : "200");
                attributes.put("server.address", "shop.example.com");
                attributes.put("server.port", "443");
                attributes.put("network.protocol.version", "2");
                attributes.put("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256));
                attributes.put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0");
                attributes.put("app.request.id", hex(random.nextLong()));
            } else if (kind == 1) {
                spanKind = Span.SpanKind.CLIENT;
                scope = scopes[1];
                String statement = STATEMENTS[random.nextInt(STATEMENTS.length)];
                name = statement.substring(0, statement.indexOf(' ')) + " shop";
                attributes.put("db.system.name", "postgresql");
                attributes.put("db.namespace", "shop");
                attributes.put("db.query.text", statement);
                attributes.put("server.address", "postgres.shop.svc.cluster.local");
                attributes.put("server.port", "5432");
                attributes.put("db.response.returned_rows", Integer.toString(random.nextInt(50)));
            } else {
                spanKind = Span.SpanKind.CLIENT;
                scope = scopes[2];
                name = "GET";
                attributes.put("http.request.method", "GET");
                attributes.put("url.full", "http://inventory.shop.svc:8080/stock/" + random.nextInt(10_000));
                attributes.put("http.response.status_code", error ? "503" : "200");
                attributes.put("server.address", "inventory.shop.svc");
                attributes.put("server.port", "8080");
                attributes.put("network.protocol.version", "1.1");
                attributes.put("http.request.resend_count", "0");
            }
            List<SpanEvent> events = List.of();
            if (error) {
                events = List.of(new SpanEvent(start + 1_000_000, "exception", Map.of(
                        "exception.type", "java.net.SocketTimeoutException",
                        "exception.message", "Read timed out after " + random.nextInt(5000) + " ms",
                        "exception.stacktrace", "java.net.SocketTimeoutException: Read timed out\n\tat "
                                + "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)"), 0));
            } else if (random.nextInt(3) == 0) {
                events = List.of(new SpanEvent(start + random.nextInt(1_000_000), "cache.miss",
                        Map.of("cache.key", "cart:" + random.nextInt(10_000)), 0));
            }
            List<SpanLink> links = random.nextInt(20) == 0
                    ? List.of(new SpanLink(hex(random.nextLong()) + hex(random.nextLong()), hex(random.nextLong()),
                            "", 0x101, Map.of("link.kind", "follows_from"), 0))
                    : List.of();
            Resource resource = resources[service];
            return new Span(start, traceId, spanId, parentId, "", 0x301, name, spanKind,
                    resource.serviceName(), resource, scope, attributes, 0,
                    200_000L + random.nextInt(50_000_000), error ? Span.StatusCode.ERROR : Span.StatusCode.UNSET,
                    error ? "Read timed out" : "", events, 0, links, 0);
        }

        private static String hex(long value) {
            String digits = Long.toHexString(value);
            return digits.length() == 16 ? digits : "0".repeat(16 - digits.length()) + digits;
        }
    }
}
