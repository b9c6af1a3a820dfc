package io.otelservices.model;

import java.util.Map;
import java.util.Objects;

/**
 * One log record, as stored in {@code otel_logs} (DESIGN.md §3). Immutable.
 *
 * @param timestampNanos the record's time, Unix epoch nanoseconds; the observed time where the sender left it 0
 * @param observedTimestampNanos when the record was observed by the collection system, 0 when absent
 * @param traceId 32 lower-case hex characters, or empty
 * @param spanId 16 lower-case hex characters, or empty
 * @param traceFlags W3C trace flags
 * @param severityText severity as the source wrote it, empty when absent
 * @param severityNumber OTLP severity number, 0 (unspecified) to 24 (FATAL4)
 * @param serviceName the resource's {@code service.name}, empty when absent
 * @param body the body: a string body as is, any other {@code AnyValue} type as its JSON text
 * @param resource the resource that produced the record
 * @param scope the instrumentation scope that recorded it
 * @param attributes log attributes, non-string values as JSON text
 * @param droppedAttributesCount attributes dropped by the sender
 * @param eventName the OTLP {@code event_name}, empty when absent
 */
public record LogRecord(
        long timestampNanos,
        long observedTimestampNanos,
        String traceId,
        String spanId,
        int traceFlags,
        String severityText,
        int severityNumber,
        String serviceName,
        String body,
        Resource resource,
        InstrumentationScope scope,
        Map<String, String> attributes,
        int droppedAttributesCount,
        String eventName) {

    public LogRecord {
        traceId = Objects.requireNonNullElse(traceId, "");
        spanId = Objects.requireNonNullElse(spanId, "");
        severityText = Objects.requireNonNullElse(severityText, "");
        serviceName = Objects.requireNonNullElse(serviceName, "");
        body = Objects.requireNonNullElse(body, "");
        resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
        scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        eventName = Objects.requireNonNullElse(eventName, "");
    }
}
