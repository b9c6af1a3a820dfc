package io.otelservices.query.rest;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Canned telemetry around a fixed "now" of 2024-05-01T12:00:00Z, and builders for metric series. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long MILLISECOND = 1_000_000L;

    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";

    static final Resource FRONTEND = new Resource(
            Map.of("service.name", "frontend", "host.name", "web-1"), 0, "https://opentelemetry.io/schemas/1.24.0");
    static final Resource PAYMENTS = new Resource(Map.of("service.name", "payments"), 2, "");
    static final Resource WORKER = new Resource(Map.of("service.name", "worker"), 0, "");
    static final InstrumentationScope HTTP_SCOPE = new InstrumentationScope(
            "io.opentelemetry.http", "1.2.0", Map.of("scope.kind", "server"), 1, "https://example.com/scope");

    private Fixtures() {}

    /** Trace A: frontend "GET /checkout" with a failing payments child; trace B: frontend "GET /home". */
    static List<Span> spans() {
        long checkoutStart = NOW_NANOS - 30 * MINUTE;
        Span checkout = new Span(checkoutStart, TRACE_A, "00f067aa0ba902b7", "", "congo=t61rcWkgMzE", 0x301,
                "GET /checkout", Span.SpanKind.SERVER, "frontend", FRONTEND, HTTP_SCOPE,
                Map.of("http.method", "GET", "http.status_code", "200"), 0, 120 * MILLISECOND,
                Span.StatusCode.OK, "",
                List.of(new SpanEvent(checkoutStart + MILLISECOND, "cache-miss", Map.of("key", "cart:42"), 0)),
                0, List.of(), 0);
        Span charge = new Span(checkoutStart + 10 * MILLISECOND, TRACE_A, "5fb397be34d26b51", "00f067aa0ba902b7", "",
                1, "charge", Span.SpanKind.CLIENT, "payments", PAYMENTS, InstrumentationScope.EMPTY,
                Map.of("amount", "12.5"), 1, 50 * MILLISECOND, Span.StatusCode.ERROR, "card declined",
                List.of(), 2,
                List.of(new SpanLink(TRACE_B, "b7ad6b7169203331", "k=v", 1, Map.of("link.kind", "follows"), 3)), 0);
        Span home = new Span(NOW_NANOS - 20 * MINUTE + 123_456_789L, TRACE_B, "b7ad6b7169203331", "", "", 1,
                "GET /home", Span.SpanKind.SERVER, "frontend", FRONTEND, HTTP_SCOPE, Map.of("http.method", "GET"), 0,
                5 * MILLISECOND, Span.StatusCode.UNSET, "", List.of(), 0, List.of(), 0);
        return List.of(checkout, charge, home);
    }

    static List<LogRecord> logs() {
        return List.of(
                new LogRecord(NOW_NANOS - 25 * MINUTE, NOW_NANOS - 25 * MINUTE + MILLISECOND, TRACE_A,
                        "00f067aa0ba902b7", 1, "INFO", 9, "frontend", "checkout started", FRONTEND, HTTP_SCOPE,
                        Map.of("user.id", "42"), 0, ""),
                new LogRecord(NOW_NANOS - 24 * MINUTE, 0, TRACE_A, "5fb397be34d26b51", 1, "ERROR", 17, "payments",
                        "card declined for order 1234", PAYMENTS, InstrumentationScope.EMPTY, Map.of(), 0,
                        "payment.failed"),
                new LogRecord(NOW_NANOS - 24 * MINUTE, 0, "", "", 0, "WARN", 13, "payments", "retrying charge",
                        PAYMENTS, InstrumentationScope.EMPTY, Map.of("attempt", "2"), 0, ""),
                new LogRecord(NOW_NANOS - 10 * MINUTE, 0, "", "", 0, "DEBUG", 5, "worker", "tick", WORKER,
                        InstrumentationScope.EMPTY, Map.of(), 0, ""),
                new LogRecord(NOW_NANOS - 2 * 60 * MINUTE, 0, "", "", 0, "INFO", 9, "frontend", "too old to show",
                        FRONTEND, InstrumentationScope.EMPTY, Map.of(), 0, ""));
    }

    // ---- metric series builders

    static SeriesPoint point(long timeNanos, MetricValue value) {
        return new SeriesPoint(0, timeNanos, 0, value, List.of());
    }

    static SeriesPoint point(long startTimeNanos, long timeNanos, MetricValue value) {
        return new SeriesPoint(startTimeNanos, timeNanos, 0, value, List.of());
    }

    static MetricValue.Gauge gauge(double value) {
        return new MetricValue.Gauge(value);
    }

    static MetricValue.Sum counter(double value) {
        return new MetricValue.Sum(value, AggregationTemporality.CUMULATIVE, true);
    }

    static MetricValue.Sum deltaSum(double value) {
        return new MetricValue.Sum(value, AggregationTemporality.DELTA, true);
    }

    static MetricValue.Histogram histogram(AggregationTemporality temporality, double[] bounds, long... counts) {
        long count = 0;
        for (long c : counts) {
            count += c;
        }
        return new MetricValue.Histogram(count, count * 10.0, counts, bounds, Double.NaN, Double.NaN, temporality);
    }

    static MetricSeries series(MetricType type, String name, Map<String, String> attributes, SeriesPoint... points) {
        return series(type, name, "frontend", attributes, points);
    }

    static MetricSeries series(MetricType type, String name, String service, Map<String, String> attributes,
                               SeriesPoint... points) {
        return new MetricSeries(type, name, "", "", service, Map.of("service.name", service), "scope", "1.0",
                attributes, List.of(points));
    }
}
