package io.otelservices.bench;

import static io.otelservices.bench.OtlpValues.integer;
import static io.otelservices.bench.OtlpValues.string;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.otelservices.bench.ServiceCatalog.Service;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic application log records as OTLP protobuf, deterministic for a seed. Severities are INFO-heavy
 * (DEBUG 8 %, INFO 72 %, WARN 13 %, ERROR 6.5 %, FATAL 0.5 %); bodies are 50-500 characters, about 20 % of them JSON
 * text (structured logging); 85 % carry a trace and span id. Each record has 2-5 attributes (thread, code location,
 * sometimes HTTP route and status). The logger name is the instrumentation scope. Not thread-safe.
 */
final class LogFleet {

    /** One generated record and where it belongs: resource index in the {@link ServiceCatalog}, scope index. */
    record GeneratedLog(int resourceIndex, int scopeIndex, LogRecord record) {}

    private static final String[] LOGGERS = {"RequestHandler", "OrderService", "Repository", "CacheClient",
        "HttpClient", "Scheduler"};
    private static final String[] CURRENCIES = {"USD", "EUR", "JPY", "GBP", "CAD", "CHF"};
    private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/products/{id}", "/api/orders/{id}",
        "/api/search", "/inventory/{sku}", "/users/{id}", "/shipping/quote"};

    private final SplittableRandom random;
    private final List<Service> services = ServiceCatalog.allServices();
    private final int resourceCount;
    private final InstrumentationScope[] scopes;
    private final String[] stackTraces;

    LogFleet(long seed, int resourceCount) {
        random = new SplittableRandom(seed ^ 0x10C5_F1EEL);
        this.resourceCount = resourceCount;
        scopes = new InstrumentationScope[services.size() * LOGGERS.length];
        stackTraces = new String[services.size()];
        SplittableRandom frames = new SplittableRandom(seed ^ 0x57AC_C7A1L);
        for (int s = 0; s < services.size(); s++) {
            for (int l = 0; l < LOGGERS.length; l++) {
                scopes[s * LOGGERS.length + l] = OtlpValues.scope(
                        "shop." + services.get(s).name().replace('-', '_') + "." + LOGGERS[l], "");
            }
            stackTraces[s] = TraceFleet.stackTrace(services.get(s).name(), frames);
        }
    }

    InstrumentationScope scope(int index) {
        return scopes[index];
    }

    /** One log record at {@code timeNanos} from a random instance. */
    GeneratedLog next(long timeNanos) {
        int resource = random.nextInt(resourceCount);
        int service = resource / ServiceCatalog.INSTANCES_PER_SERVICE;
        int logger = random.nextInt(LOGGERS.length);
        int roll = random.nextInt(1000);
        SeverityNumber severity = roll < 80 ? SeverityNumber.SEVERITY_NUMBER_DEBUG
                : roll < 800 ? SeverityNumber.SEVERITY_NUMBER_INFO
                : roll < 930 ? SeverityNumber.SEVERITY_NUMBER_WARN
                : roll < 995 ? SeverityNumber.SEVERITY_NUMBER_ERROR
                : SeverityNumber.SEVERITY_NUMBER_FATAL;
        String severityText = switch (severity) {
            case SEVERITY_NUMBER_DEBUG -> "DEBUG";
            case SEVERITY_NUMBER_INFO -> "INFO";
            case SEVERITY_NUMBER_WARN -> "WARN";
            case SEVERITY_NUMBER_ERROR -> "ERROR";
            default -> "FATAL";
        };
        boolean json = random.nextInt(100) < 20;
        String body = json ? jsonBody(severityText, service) : textBody(severity, service);
        if (body.length() > 500) {
            body = body.substring(0, 500);
        }
        LogRecord.Builder record = LogRecord.newBuilder()
                .setTimeUnixNano(timeNanos)
                .setObservedTimeUnixNano(timeNanos + 100_000L + random.nextLong(5_000_000L))
                .setSeverityNumber(severity)
                .setSeverityText(severityText)
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .addAttributes(string("thread.name", "http-nio-8080-exec-" + (1 + random.nextInt(200))))
                .addAttributes(string("code.function.name", "shop." + services.get(service).name().replace('-', '_')
                        + "." + LOGGERS[logger] + ".handle"))
                .addAttributes(integer("code.line.number", 20 + random.nextInt(600)));
        if (logger == 0) {
            String route = ROUTES[random.nextInt(ROUTES.length)];
            record.addAttributes(string("http.route", route))
                    .addAttributes(integer("http.response.status_code", severity.getNumber() >= 17 ? 500 : 200));
        }
        if (random.nextInt(100) < 85) {
            record.setTraceId(OtlpValues.traceId(random.nextLong(), random.nextLong()))
                    .setSpanId(OtlpValues.spanId(random.nextLong()))
                    .setFlags(1);
        }
        return new GeneratedLog(resource, service * LOGGERS.length + logger, record.build());
    }

    private String textBody(SeverityNumber severity, int service) {
        String order = Long.toHexString(random.nextLong() >>> 16);
        String user = "user-" + random.nextInt(250_000);
        return switch (severity) {
            case SEVERITY_NUMBER_DEBUG -> switch (random.nextInt(3)) {
                case 0 -> "Cache miss for key product:" + (10_000 + random.nextInt(5_000)) + ", loading from database";
                case 1 -> "Resolved " + (1 + random.nextInt(12)) + " feature flags for " + user + " in "
                        + random.nextInt(900) + " us (flagd provider, cache hit ratio 0." + random.nextInt(100) + ")";
                default -> "Outgoing request POST http://" + services.get(random.nextInt(services.size())).name()
                        + ":8080/internal/v1/batch with " + random.nextInt(50) + " entries, timeout 5000 ms";
            };
            case SEVERITY_NUMBER_INFO -> switch (random.nextInt(4)) {
                case 0 -> "Order " + order + " placed by " + user + ": " + (1 + random.nextInt(9)) + " items, total "
                        + random.nextInt(2_000) + "." + random.nextInt(100) + " "
                        + CURRENCIES[random.nextInt(CURRENCIES.length)];
                case 1 -> "GET /api/products/" + random.nextInt(250_000) + " completed with 200 in "
                        + random.nextInt(400) + " ms (" + (200 + random.nextInt(30_000)) + " bytes)";
                case 2 -> "Payment authorized for order " + order + " via card ending " + (1000 + random.nextInt(9000))
                        + ", transaction id " + Long.toHexString(random.nextLong());
                default -> "Shipment " + order + " handed over to carrier, tracking number 1Z"
                        + Long.toString(random.nextLong() >>> 8, 36).toUpperCase() + ", estimated delivery in "
                        + (1 + random.nextInt(7)) + " days to postal code " + (10_000 + random.nextInt(89_999));
            };
            case SEVERITY_NUMBER_WARN -> switch (random.nextInt(3)) {
                case 0 -> "Slow query took " + (500 + random.nextInt(4_000)) + " ms: SELECT id, customer_id, status, "
                        + "total_units, currency_code FROM orders WHERE customer_id = ? AND status IN (?, ?) "
                        + "ORDER BY updated_at DESC LIMIT ?";
                case 1 -> "Retrying call to " + services.get(random.nextInt(services.size())).name()
                        + " after UNAVAILABLE (attempt " + (1 + random.nextInt(4)) + " of 5, backoff "
                        + (100 + random.nextInt(900)) + " ms)";
                default -> "Connection pool HikariPool-1 is at " + (80 + random.nextInt(20))
                        + "% capacity (active=" + random.nextInt(20) + ", idle=" + random.nextInt(3)
                        + ", waiting=" + random.nextInt(40) + ")";
            };
            default -> "Failed to process order " + order + " for " + user + ": "
                    + "java.lang.IllegalStateException: upstream returned 503\n" + stackTraces[service];
        };
    }

    private String jsonBody(String severityText, int service) {
        return "{\"level\":\"" + severityText.toLowerCase() + "\",\"msg\":\"request completed\",\"service\":\""
                + services.get(service).name() + "\",\"method\":\"" + (random.nextBoolean() ? "GET" : "POST")
                + "\",\"path\":\"" + ROUTES[random.nextInt(ROUTES.length)].replace("{id}",
                        Integer.toString(random.nextInt(250_000))).replace("{sku}", "SKU-" + random.nextInt(5_000))
                + "\",\"status\":" + (severityText.equals("ERROR") ? 500 : 200) + ",\"duration_ms\":"
                + random.nextInt(800) + ",\"bytes\":" + random.nextInt(40_000) + ",\"user_id\":\"user-"
                + random.nextInt(250_000) + "\",\"request_id\":\"" + Long.toHexString(random.nextLong()) + "\"}";
    }
}
