package io.otelservices.bench;

import static io.otelservices.bench.OtlpValues.integer;
import static io.otelservices.bench.OtlpValues.string;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelservices.bench.ServiceCatalog.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic traces as OTLP protobuf spans, deterministic for a seed. Each trace starts with an HTTP SERVER span in
 * {@code frontend} and grows to 5-50 spans (uniform): every step picks an entry span (SERVER or CONSUMER) of the
 * trace and adds a downstream call (HTTP or gRPC CLIENT span plus the callee's SERVER span), a database CLIENT span,
 * a Kafka PRODUCER span plus the consumer's CONSUMER span, or an INTERNAL span. Attributes follow the OpenTelemetry
 * semantic conventions (HTTP, RPC, database, messaging, code). About 3 % of traces fail: one span gets status ERROR
 * with an {@code exception} event (type, message, stack trace) and the error travels up to the root (HTTP 500, gRPC
 * UNKNOWN). About 2 % of HTTP GET server spans answer 404. Not thread-safe. See {@code docs/LOADGEN.md}.
 */
final class TraceFleet {

    /** One generated span and where it belongs: resource index in the {@link ServiceCatalog}, scope index. */
    record GeneratedSpan(int resourceIndex, int scopeIndex, Span span) {}

    static final InstrumentationScope[] SCOPES = {
        OtlpValues.scope("io.opentelemetry.http-server", "2.33.1"),
        OtlpValues.scope("io.opentelemetry.http-client", "2.33.1"),
        OtlpValues.scope("io.opentelemetry.grpc-1.6", "2.33.1"),
        OtlpValues.scope("io.opentelemetry.jdbc", "2.33.1"),
        OtlpValues.scope("io.opentelemetry.kafka-clients-2.6", "2.33.1"),
        OtlpValues.scope("shop.app", "1.0.0")};
    private static final int HTTP_SERVER = 0;
    private static final int HTTP_CLIENT = 1;
    private static final int GRPC = 2;
    private static final int DATABASE = 3;
    private static final int MESSAGING = 4;
    private static final int APP = 5;

    private static final double ERROR_TRACE_PROBABILITY = 0.03;
    private static final String[] BROWSERS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"};
    private static final String[] SERVICE_CLIENTS = {"Go-http-client/1.1", "okhttp/4.12.0", "python-requests/2.32.3",
        "axios/1.7.7", "Armeria/1.36.0"};
    private static final String[] INTERNAL_OPERATIONS = {"validate request", "compute totals", "cache lookup",
        "serialize response", "apply discounts", "render template", "check feature flags", "map to dto"};
    private static final String[] SEARCH_WORDS = {"telescope", "lens", "binoculars", "tripod", "filter", "mount",
        "eyepiece", "star chart", "camera", "red light"};

    private static final String[] EXCEPTIONS_DB = {"org.postgresql.util.PSQLException",
        "ERROR: canceling statement due to statement timeout"};
    private static final String[] EXCEPTIONS_REDIS = {"redis.clients.jedis.exceptions.JedisConnectionException",
        "Failed to connect to any host resolved for DNS name."};
    private static final String[] EXCEPTIONS_GRPC = {"io.grpc.StatusRuntimeException",
        "UNAVAILABLE: io exception: Connection reset by peer"};
    private static final String[] EXCEPTIONS_HTTP = {"java.net.SocketTimeoutException", "Read timed out after 5000 ms"};
    private static final String[] EXCEPTIONS_APP = {"java.lang.IllegalStateException",
        "cart 7f3a is empty but checkout was requested"};

    private final SplittableRandom random;
    private final List<Service> services = ServiceCatalog.allServices();
    private final String[] stackTraces;

    /** One span while its trace is being built; turned into a {@link Span} at the end. */
    private static final class Node {
        final Span.Builder span = Span.newBuilder();
        int resource;
        int scope;
        int service;
        int parent;
        long start;
        long end;
        int statusAttribute = -1; // index of http.response.status_code or rpc.grpc.status_code, patched on error
        boolean http;
    }

    TraceFleet(long seed) {
        random = new SplittableRandom(seed);
        stackTraces = new String[services.size()];
        SplittableRandom frames = new SplittableRandom(seed ^ 0x57AC_C7A1L);
        for (int s = 0; s < services.size(); s++) {
            stackTraces[s] = stackTrace(services.get(s).name(), frames);
        }
    }

    /** Appends one trace starting at {@code startNanos} to {@code out}; returns its trace id's first 8 bytes. */
    long trace(long startNanos, List<GeneratedSpan> out) {
        long traceHigh = random.nextLong();
        ByteString traceId = OtlpValues.traceId(traceHigh, random.nextLong());
        int spanCount = 5 + random.nextInt(46);
        List<Node> nodes = new ArrayList<>(spanCount);
        List<Integer> entries = new ArrayList<>();

        Node root = new Node();
        root.service = 0; // frontend
        root.resource = ServiceCatalog.instanceOf(0, random);
        root.parent = -1;
        root.start = startNanos;
        root.end = startNanos + rootDurationNanos();
        httpServer(root, services.get(0), null, true);
        nodes.add(root);
        entries.add(0);

        while (nodes.size() < spanCount) {
            int parentIndex = entries.get(random.nextInt(entries.size()));
            Node parent = nodes.get(parentIndex);
            Service service = services.get(parent.service);
            int remaining = spanCount - nodes.size();
            int roll = random.nextInt(100);
            boolean canCall = service.callees().length > 0 && remaining >= 2;
            boolean canPublish = service.topic() != null && remaining >= 2;
            if (canCall && (roll < 45 || !service.hasDatabase() && roll < 80)) {
                call(nodes, entries, parentIndex, service);
            } else if (service.hasDatabase() && roll < 80) {
                nodes.add(database(parentIndex, parent, service));
            } else if (canPublish && roll < 90) {
                publish(nodes, entries, parentIndex, service);
            } else {
                nodes.add(internal(parentIndex, parent, service));
            }
        }

        if (random.nextDouble() < ERROR_TRACE_PROBABILITY) {
            fail(nodes, nodes.size() == 1 ? 0 : 1 + random.nextInt(nodes.size() - 1));
        }
        for (Node node : nodes) {
            node.span.setTraceId(traceId)
                    .setStartTimeUnixNano(node.start)
                    .setEndTimeUnixNano(node.end);
            if (node.parent >= 0) {
                node.span.setParentSpanId(nodes.get(node.parent).span.getSpanId());
            }
            out.add(new GeneratedSpan(node.resource, node.scope, node.span.build()));
        }
        return traceHigh;
    }

    private Node child(int parentIndex, Node parent) {
        Node node = new Node();
        node.parent = parentIndex;
        node.service = parent.service;
        node.resource = parent.resource;
        long duration = parent.end - parent.start;
        node.start = parent.start + (long) (duration * (0.02 + 0.5 * random.nextDouble()));
        node.end = Math.min(parent.end, node.start + Math.max(20_000L, (long) (duration * (0.05 + 0.3 * random.nextDouble()))));
        node.span.setSpanId(OtlpValues.spanId(random.nextLong())).setFlags(0x101);
        return node;
    }

    private void call(List<Node> nodes, List<Integer> entries, int parentIndex, Service caller) {
        Node parent = nodes.get(parentIndex);
        String calleeName = caller.callees()[random.nextInt(caller.callees().length)];
        int calleeIndex = ServiceCatalog.serviceIndex(calleeName);
        Service callee = services.get(calleeIndex);
        String operation = callee.operations()[random.nextInt(callee.operations().length)];

        Node client = child(parentIndex, parent);
        Node server = new Node();
        server.parent = nodes.size();
        server.service = calleeIndex;
        server.resource = ServiceCatalog.instanceOf(calleeIndex, random);
        long network = Math.max(1_000L, (client.end - client.start) / 20);
        server.start = client.start + network;
        server.end = Math.max(server.start + 10_000L, client.end - network);
        server.span.setSpanId(OtlpValues.spanId(random.nextLong())).setFlags(0x301);
        if (callee.grpc()) {
            String name = callee.rpcService() + "/" + operation;
            client.scope = GRPC;
            client.span.setName(name).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(string("rpc.system", "grpc"))
                    .addAttributes(string("rpc.service", callee.rpcService()))
                    .addAttributes(string("rpc.method", operation))
                    .addAttributes(string("server.address", callee.name()))
                    .addAttributes(integer("server.port", 8080))
                    .addAttributes(string("net.peer.name", callee.name()));
            client.statusAttribute = client.span.getAttributesCount();
            client.span.addAttributes(integer("rpc.grpc.status_code", 0));
            server.scope = GRPC;
            server.span.setName(name).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .addAttributes(string("rpc.system", "grpc"))
                    .addAttributes(string("rpc.service", callee.rpcService()))
                    .addAttributes(string("rpc.method", operation))
                    .addAttributes(string("server.address", callee.name()))
                    .addAttributes(integer("server.port", 8080))
                    .addAttributes(string("network.peer.address", podAddress()))
                    .addAttributes(integer("network.peer.port", 30_000 + random.nextInt(30_000)));
            server.statusAttribute = server.span.getAttributesCount();
            server.span.addAttributes(integer("rpc.grpc.status_code", 0));
        } else {
            int space = operation.indexOf(' ');
            String method = operation.substring(0, space);
            String route = operation.substring(space + 1);
            String path = concretePath(route);
            client.scope = HTTP_CLIENT;
            client.http = true;
            client.span.setName(method).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(string("http.request.method", method))
                    .addAttributes(string("url.full", "http://" + callee.name() + ":8080" + path))
                    .addAttributes(string("server.address", callee.name()))
                    .addAttributes(integer("server.port", 8080))
                    .addAttributes(string("network.protocol.version", "1.1"))
                    .addAttributes(string("net.peer.name", callee.name()));
            client.statusAttribute = client.span.getAttributesCount();
            client.span.addAttributes(integer("http.response.status_code", 200));
            httpServer(server, callee, operation, false);
        }
        nodes.add(client);
        nodes.add(server);
        entries.add(nodes.size() - 1);
    }

    /** Fills an HTTP SERVER span; {@code operation} null picks one of the service's routes. */
    private void httpServer(Node node, Service service, String operation, boolean edge) {
        if (node.span.getSpanId().isEmpty()) {
            node.span.setSpanId(OtlpValues.spanId(random.nextLong())).setFlags(0x101);
        }
        if (operation == null) {
            operation = service.operations()[random.nextInt(service.operations().length)];
        }
        int space = operation.indexOf(' ');
        String method = operation.substring(0, space);
        String route = operation.substring(space + 1);
        node.scope = HTTP_SERVER;
        node.http = true;
        node.span.setName(operation).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(string("http.request.method", method))
                .addAttributes(string("http.route", route))
                .addAttributes(string("url.path", concretePath(route)))
                .addAttributes(string("url.scheme", edge ? "https" : "http"))
                .addAttributes(string("server.address", edge ? "shop.example.com" : service.name()))
                .addAttributes(integer("server.port", edge ? 443 : 8080))
                .addAttributes(string("network.protocol.version", edge ? "2" : "1.1"))
                .addAttributes(string("client.address", edge
                        ? (random.nextInt(223) + 1) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                                + random.nextInt(256)
                        : podAddress()))
                .addAttributes(string("user_agent.original", edge
                        ? BROWSERS[random.nextInt(BROWSERS.length)]
                        : SERVICE_CLIENTS[random.nextInt(SERVICE_CLIENTS.length)]));
        if (route.startsWith("/api/search") || route.startsWith("/search")) {
            node.span.addAttributes(string("url.query",
                    "q=" + SEARCH_WORDS[random.nextInt(SEARCH_WORDS.length)] + "&page=" + (1 + random.nextInt(5))));
        }
        node.statusAttribute = node.span.getAttributesCount();
        boolean notFound = method.equals("GET") && route.contains("{id}") && random.nextInt(100) < 2;
        node.span.addAttributes(integer("http.response.status_code", notFound ? 404 : 200));
    }

    private Node database(int parentIndex, Node parent, Service service) {
        Node node = child(parentIndex, parent);
        node.scope = DATABASE;
        String system = service.dbSystem();
        String table = service.tables()[random.nextInt(service.tables().length)];
        String operation;
        String statement;
        int port;
        String host;
        switch (system) {
            case "redis" -> {
                String[] commands = {"HGETALL", "HSET", "EXPIRE", "GET", "SET"};
                operation = commands[random.nextInt(commands.length)];
                statement = operation + " " + table + ":?" + (operation.equals("HSET") ? " ? ?" : "");
                port = 6379;
                host = "redis-master.shop.svc";
            }
            case "elasticsearch" -> {
                operation = "search";
                statement = "{\"query\":{\"bool\":{\"must\":[{\"multi_match\":{\"query\":\"?\",\"fields\":"
                        + "[\"name^3\",\"description\",\"categories\"]}}],\"filter\":[{\"term\":{\"in_stock\":true}}]}},"
                        + "\"size\":24,\"from\":0,\"sort\":[{\"_score\":\"desc\"},{\"popularity\":\"desc\"}]}";
                port = 9200;
                host = "elasticsearch.shop.svc";
            }
            default -> {
                int roll = random.nextInt(100);
                operation = roll < 70 ? "SELECT" : roll < 85 ? "INSERT" : "UPDATE";
                statement = switch (operation) {
                    case "SELECT" -> "SELECT id, customer_id, status, total_units, currency_code, created_at, updated_at "
                            + "FROM " + table + " WHERE customer_id = ? AND status IN (?, ?) ORDER BY updated_at DESC LIMIT ?";
                    case "INSERT" -> "INSERT INTO " + table + " (id, customer_id, status, total_units, currency_code, "
                            + "created_at) VALUES (?, ?, ?, ?, ?, ?)";
                    default -> "UPDATE " + table + " SET status = ?, updated_at = ? WHERE id = ? AND version = ?";
                };
                port = system.equals("mysql") ? 3306 : 5432;
                host = system + "-" + random.nextInt(3) + ".shop.svc";
            }
        }
        node.span.setName(operation + " shop." + table).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(string("db.system", system))
                .addAttributes(string("db.namespace", "shop"))
                .addAttributes(string("db.collection.name", table))
                .addAttributes(string("db.operation.name", operation))
                .addAttributes(string("db.statement", statement))
                .addAttributes(string("server.address", host))
                .addAttributes(integer("server.port", port))
                .addAttributes(string("net.peer.name", host));
        return node;
    }

    private void publish(List<Node> nodes, List<Integer> entries, int parentIndex, Service service) {
        Node parent = nodes.get(parentIndex);
        Node producer = child(parentIndex, parent);
        producer.scope = MESSAGING;
        String key = Long.toHexString(random.nextLong());
        producer.span.setName(service.topic() + " publish").setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
                .addAttributes(string("messaging.system", "kafka"))
                .addAttributes(string("messaging.destination.name", service.topic()))
                .addAttributes(string("messaging.operation.type", "send"))
                .addAttributes(string("messaging.kafka.message.key", key))
                .addAttributes(integer("messaging.message.body.size", 200 + random.nextInt(1800)))
                .addAttributes(string("messaging.client.id", "producer-" + service.name() + "-1"))
                .addAttributes(string("server.address", "kafka-0.shop.svc"))
                .addAttributes(integer("server.port", 9092));
        int consumerService = ServiceCatalog.serviceIndex(ServiceCatalog.ORDERS_CONSUMER);
        Node consumer = new Node();
        consumer.parent = nodes.size();
        consumer.service = consumerService;
        consumer.resource = ServiceCatalog.instanceOf(consumerService, random);
        consumer.scope = MESSAGING;
        consumer.start = producer.end + 200_000L + random.nextLong(20_000_000L);
        consumer.end = consumer.start + 500_000L + random.nextLong(30_000_000L);
        consumer.span.setSpanId(OtlpValues.spanId(random.nextLong())).setFlags(0x301)
                .setName(service.topic() + " process").setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
                .addAttributes(string("messaging.system", "kafka"))
                .addAttributes(string("messaging.destination.name", service.topic()))
                .addAttributes(string("messaging.operation.type", "process"))
                .addAttributes(string("messaging.consumer.group.name", ServiceCatalog.ORDERS_CONSUMER))
                .addAttributes(string("messaging.destination.partition.id", Integer.toString(random.nextInt(12))))
                .addAttributes(integer("messaging.kafka.offset", random.nextLong(1L << 32)))
                .addAttributes(string("messaging.kafka.message.key", key));
        nodes.add(producer);
        nodes.add(consumer);
        entries.add(nodes.size() - 1);
    }

    private Node internal(int parentIndex, Node parent, Service service) {
        Node node = child(parentIndex, parent);
        node.scope = APP;
        String operation = INTERNAL_OPERATIONS[random.nextInt(INTERNAL_OPERATIONS.length)];
        String className = className(service.name());
        node.span.setName(operation).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .addAttributes(string("code.function.name", "shop." + service.name().replace('-', '_') + "."
                        + className + "." + camel(operation)))
                .addAttributes(string("code.file.path", "src/main/" + className + ".java"))
                .addAttributes(integer("code.line.number", 20 + random.nextInt(600)))
                .addAttributes(string("thread.name", "worker-" + random.nextInt(32)));
        return node;
    }

    /** Marks {@code origin} failed with an exception event and every ancestor failed because of it. */
    private void fail(List<Node> nodes, int origin) {
        Node node = nodes.get(origin);
        Service service = services.get(node.service);
        String[] exception = switch (node.scope) {
            case DATABASE -> "redis".equals(service.dbSystem()) ? EXCEPTIONS_REDIS : EXCEPTIONS_DB;
            case GRPC -> EXCEPTIONS_GRPC;
            case HTTP_CLIENT, HTTP_SERVER -> EXCEPTIONS_HTTP;
            default -> EXCEPTIONS_APP;
        };
        node.span.addEvents(Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(node.end - 1_000L)
                .addAttributes(string("exception.type", exception[0]))
                .addAttributes(string("exception.message", exception[1]))
                .addAttributes(string("exception.stacktrace", exception[0] + ": " + exception[1] + "\n"
                        + stackTraces[node.service])));
        node.span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(exception[1]));
        for (int index = origin; index >= 0; index = nodes.get(index).parent) {
            Node failed = nodes.get(index);
            if (index != origin) {
                failed.span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
            }
            if (failed.statusAttribute >= 0) {
                failed.span.setAttributes(failed.statusAttribute, failed.http
                        ? integer("http.response.status_code", 500)
                        : integer("rpc.grpc.status_code", 2));
            }
        }
    }

    /** Root durations: log-normal around 60 ms, between 2 ms and 3 s. */
    private long rootDurationNanos() {
        double millis = Math.exp(Math.log(60) + 1.0 * gaussian());
        return (long) (Math.max(2, Math.min(3_000, millis)) * 1_000_000L);
    }

    private double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private String concretePath(String route) {
        return route.replace("{id}", Integer.toString(1 + random.nextInt(250_000)))
                .replace("{sku}", "SKU-" + (10_000 + random.nextInt(5_000)));
    }

    private String podAddress() {
        return "10.244." + random.nextInt(64) + "." + (2 + random.nextInt(250));
    }

    private static String className(String service) {
        StringBuilder out = new StringBuilder();
        for (String part : service.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
        }
        return out.append("Handler").toString();
    }

    private static String camel(String words) {
        String[] parts = words.split(" ");
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i], 1, parts[i].length());
        }
        return out.toString();
    }

    /** A plausible Java stack trace of 12-24 frames for {@code service}: about 1-2 KB like real ones. */
    static String stackTrace(String service, SplittableRandom random) {
        String[] frameworks = {"io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:268)",
            "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead(AbstractChannelHandlerContext.java:444)",
            "com.linecorp.armeria.server.HttpServerHandler.serve(HttpServerHandler.java:341)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
            "java.base/java.lang.Thread.run(Thread.java:840)",
            "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:372)",
            "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeQuery(ProxyPreparedStatement.java:52)"};
        String owner = "shop." + service.replace('-', '_') + "." + className(service);
        StringBuilder out = new StringBuilder();
        int frames = 12 + random.nextInt(13);
        for (int i = 0; i < frames; i++) {
            if (i % 3 == 2) {
                out.append("\tat ").append(frameworks[random.nextInt(frameworks.length)]).append('\n');
            } else {
                out.append("\tat ").append(owner).append('.').append(camel(INTERNAL_OPERATIONS[
                        random.nextInt(INTERNAL_OPERATIONS.length)])).append('(').append(className(service))
                        .append(".java:").append(20 + random.nextInt(600)).append(")\n");
            }
        }
        return out.toString();
    }
}
