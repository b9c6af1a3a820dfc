package io.otelservices.bench;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic traces for benchmarks: a fleet of services with HTTP, database and RPC spans following the OpenTelemetry
 * semantic conventions, trees of 5-50 spans, about 3 % errors (status Error with an exception event).
 * Deterministic for a seed.
 *
 * <p>Data model: every trace has one root SERVER span (HTTP) in an edge service; each further span is a child of a
 * random earlier span and is an HTTP or RPC CLIENT call (followed by the callee's SERVER span), a database CLIENT
 * span or an INTERNAL span. Spans carry 6-12 attributes; resources carry service, host, k8s and SDK attributes.
 */
final class SpanFleet {

    private static final String[] SERVICES = {
        "frontend", "checkout", "cart", "payment", "inventory", "shipping", "user", "auth", "search",
        "recommendation", "ad", "email", "currency", "quote", "fraud-detection", "accounting"};
    private static final String[] ROUTES = {
        "/api/cart", "/api/checkout", "/api/products/{id}", "/api/users/{id}", "/api/search", "/api/orders/{id}",
        "/api/recommendations", "/api/shipping/quote", "/api/currency/convert", "/api/ads"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final String[] TABLES = {"orders", "users", "products", "carts", "payments", "shipments"};
    private static final String[] RPC_METHODS = {"GetCart", "AddItem", "Charge", "ListProducts", "GetQuote",
        "Convert", "SendConfirmation", "GetAds", "Authorize"};

    private final SplittableRandom random;
    private final List<Resource> resources = new ArrayList<>();
    private final InstrumentationScopeInfo scope =
            InstrumentationScopeInfo.builder("io.opentelemetry.http").setVersion("2.33.1").build();

    SpanFleet(long seed) {
        random = new SplittableRandom(seed);
        for (String service : SERVICES) {
            for (int instance = 0; instance < 3; instance++) {
                resources.add(Resource.create(Attributes.builder()
                        .put("service.name", service)
                        .put("service.namespace", "shop")
                        .put("service.version", "1." + instance + ".7")
                        .put("service.instance.id", service + "-" + Long.toHexString(random.nextLong()))
                        .put("deployment.environment.name", "production")
                        .put("host.name", "node-" + random.nextInt(40))
                        .put("k8s.namespace.name", "shop")
                        .put("k8s.pod.name", service + "-7d9f8b6c5-" + Long.toString(random.nextLong(1L << 30), 36))
                        .put("telemetry.sdk.language", "java")
                        .put("telemetry.sdk.name", "opentelemetry")
                        .put("telemetry.sdk.version", "1.67.0")
                        .build(), "https://opentelemetry.io/schemas/1.26.0"));
            }
        }
    }

    /** Appends one trace of 5-50 spans starting near {@code startNanos} to {@code out}. */
    void trace(long startNanos, List<SpanData> out) {
        String traceId = hex(random.nextLong()) + hex(random.nextLong());
        int spanCount = 5 + random.nextInt(46);
        boolean error = random.nextInt(100) < 3;
        List<SpanContext> contexts = new ArrayList<>(spanCount);
        List<Resource> spanResources = new ArrayList<>(spanCount);
        long traceDuration = 2_000_000L + random.nextLong(400_000_000L);
        for (int i = 0; i < spanCount; i++) {
            SpanContext context = SpanContext.create(traceId, hex(random.nextLong()), TraceFlags.getSampled(),
                    TraceState.getDefault());
            int parent = i == 0 ? -1 : random.nextInt(i);
            Resource resource = i == 0 ? resources.get(random.nextInt(3)) // frontend instances
                    : random.nextInt(3) == 0 ? spanResources.get(parent) : resources.get(random.nextInt(resources.size()));
            long start = startNanos + (i == 0 ? 0 : random.nextLong(traceDuration / 2));
            long duration = i == 0 ? traceDuration : 50_000L + random.nextLong(traceDuration / 2);
            SpanKind kind;
            String name;
            AttributesBuilder attributes = Attributes.builder();
            if (i == 0 || random.nextInt(4) == 0) {
                kind = i == 0 ? SpanKind.SERVER : SpanKind.CLIENT;
                String method = METHODS[random.nextInt(METHODS.length)];
                String route = ROUTES[random.nextInt(ROUTES.length)];
                name = method + " " + route;
                attributes.put("http.request.method", method)
                        .put("http.route", route)
                        .put("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000))))
                        .put("url.scheme", "https")
                        .put("server.address", "shop.example.com")
                        .put("server.port", 443L)
                        .put("network.protocol.version", "1.1")
                        .put("http.response.status_code", error && i == 0 ? 500L : 200L)
                        .put("user_agent.original",
                                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0")
                        .put("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256));
            } else if (random.nextInt(3) == 0) {
                kind = SpanKind.CLIENT;
                String table = TABLES[random.nextInt(TABLES.length)];
                name = "SELECT shop." + table;
                attributes.put("db.system.name", "postgresql")
                        .put("db.namespace", "shop")
                        .put("db.collection.name", table)
                        .put("db.operation.name", "SELECT")
                        .put("db.query.text", "SELECT id, status, total, updated_at FROM " + table
                                + " WHERE customer_id = $1 AND status = $2 ORDER BY updated_at DESC LIMIT 50")
                        .put("server.address", "postgres-" + random.nextInt(3) + ".shop.svc")
                        .put("server.port", 5432L);
            } else if (random.nextInt(2) == 0) {
                kind = random.nextBoolean() ? SpanKind.CLIENT : SpanKind.SERVER;
                String method = RPC_METHODS[random.nextInt(RPC_METHODS.length)];
                String service = "oteldemo." + SERVICES[random.nextInt(SERVICES.length)] + "Service";
                name = service + "/" + method;
                attributes.put("rpc.system", "grpc")
                        .put("rpc.service", service)
                        .put("rpc.method", method)
                        .put("rpc.grpc.status_code", 0L)
                        .put("server.address", "10.1." + random.nextInt(256) + "." + random.nextInt(256))
                        .put("network.peer.port", 50051L);
            } else {
                kind = SpanKind.INTERNAL;
                name = "process " + TABLES[random.nextInt(TABLES.length)];
                attributes.put("code.function.name", "handle" + RPC_METHODS[random.nextInt(RPC_METHODS.length)])
                        .put("code.file.path", "src/main/java/shop/Handler.java")
                        .put("code.line.number", (long) random.nextInt(800))
                        .put("thread.name", "worker-" + random.nextInt(16));
            }
            boolean spanError = error && (i == 0 || random.nextInt(spanCount) == 0);
            List<EventData> events = spanError
                    ? List.of(EventData.create(start + duration / 2, "exception", Attributes.of(
                            AttributeKey.stringKey("exception.type"), "java.lang.IllegalStateException",
                            AttributeKey.stringKey("exception.message"), "upstream returned 503")))
                    : List.of();
            Attributes built = attributes.build();
            out.add(TestSpanData.builder()
                    .setSpanContext(context)
                    .setParentSpanContext(parent < 0 ? SpanContext.getInvalid() : contexts.get(parent))
                    .setResource(resource)
                    .setInstrumentationScopeInfo(scope)
                    .setName(name)
                    .setKind(kind)
                    .setStartEpochNanos(start)
                    .setEndEpochNanos(start + duration)
                    .setAttributes(built)
                    .setTotalAttributeCount(built.size())
                    .setEvents(events)
                    .setTotalRecordedEvents(events.size())
                    .setLinks(List.of())
                    .setTotalRecordedLinks(0)
                    .setStatus(spanError ? StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR,
                            "upstream returned 503") : StatusData.unset())
                    .setHasEnded(true)
                    .build());
            contexts.add(context);
            spanResources.add(resource);
        }
    }

    private static String hex(long value) {
        String s = Long.toHexString(value);
        return "0".repeat(16 - s.length()) + s;
    }
}
