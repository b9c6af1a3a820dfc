package io.otelservices.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span, as stored in {@code otel_traces} (DESIGN.md §3). Immutable; safe to share across threads.
 *
 * @param timestampNanos start time, Unix epoch nanoseconds
 * @param traceId 32 lower-case hex characters
 * @param spanId 16 lower-case hex characters
 * @param parentSpanId 16 lower-case hex characters, or empty for a root span
 * @param traceState W3C trace state, empty when absent
 * @param flags the OTLP span flags (W3C trace flags in the low byte, has/is-remote bits above)
 * @param spanName operation name
 * @param spanKind one of {@link SpanKind}'s names ({@code Server}, {@code Client}, ...), as the ClickHouse exporter writes it
 * @param serviceName the resource's {@code service.name}, empty when absent
 * @param resource the resource that produced the span
 * @param scope the instrumentation scope that recorded it
 * @param attributes span attributes, non-string values as JSON text
 * @param droppedAttributesCount span attributes dropped by the sender
 * @param durationNanos end minus start, nanoseconds (never negative)
 * @param statusCode {@code Unset}, {@code Ok} or {@code Error}
 * @param statusMessage the status description, empty when absent
 * @param events span events, in the order received
 * @param droppedEventsCount events dropped by the sender
 * @param links span links, in the order received
 * @param droppedLinksCount links dropped by the sender
 */
public record Span(
        long timestampNanos,
        String traceId,
        String spanId,
        String parentSpanId,
        String traceState,
        int flags,
        String spanName,
        String spanKind,
        String serviceName,
        Resource resource,
        InstrumentationScope scope,
        Map<String, String> attributes,
        int droppedAttributesCount,
        long durationNanos,
        String statusCode,
        String statusMessage,
        List<SpanEvent> events,
        int droppedEventsCount,
        List<SpanLink> links,
        int droppedLinksCount) {

    public Span {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        parentSpanId = Objects.requireNonNullElse(parentSpanId, "");
        traceState = Objects.requireNonNullElse(traceState, "");
        spanName = Objects.requireNonNullElse(spanName, "");
        spanKind = Objects.requireNonNullElse(spanKind, SpanKind.UNSPECIFIED);
        serviceName = Objects.requireNonNullElse(serviceName, "");
        resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
        scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        statusCode = Objects.requireNonNullElse(statusCode, StatusCode.UNSET);
        statusMessage = Objects.requireNonNullElse(statusMessage, "");
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        links = List.copyOf(Objects.requireNonNull(links, "links"));
    }

    /** Start plus duration, Unix epoch nanoseconds. */
    public long endTimestampNanos() {
        return timestampNanos + durationNanos;
    }

    /** Whether the span is a root span (no parent). */
    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    /** Whether the span's status is {@link StatusCode#ERROR}. */
    public boolean isError() {
        return StatusCode.ERROR.equals(statusCode);
    }

    /** The names the ClickHouse exporter writes for OTLP span kinds; an unknown kind is kept as its number. */
    public static final class SpanKind {
        public static final String UNSPECIFIED = "Unspecified";
        public static final String INTERNAL = "Internal";
        public static final String SERVER = "Server";
        public static final String CLIENT = "Client";
        public static final String PRODUCER = "Producer";
        public static final String CONSUMER = "Consumer";

        private SpanKind() {}
    }

    /** The names the ClickHouse exporter writes for OTLP status codes; an unknown code is kept as its number. */
    public static final class StatusCode {
        public static final String UNSET = "Unset";
        public static final String OK = "Ok";
        public static final String ERROR = "Error";

        private StatusCode() {}
    }
}
