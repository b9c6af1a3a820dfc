package io.otelservices.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.otelservices.ingest.Signal;
import io.otelservices.ingest.TelemetryItems;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts validated OTLP export requests into model items, keeping every field (DESIGN.md §3). The request must
 * have passed {@link OtlpValidator}: span ids are present and of the right length. Stateless and thread-safe.
 */
public final class OtlpConverter {

    private OtlpConverter() {}

    /** Decodes a write-ahead-log payload (an {@code Export*ServiceRequest} as protobuf) and converts it. */
    public static TelemetryItems convert(Signal signal, byte[] protobuf) throws InvalidProtocolBufferException {
        return switch (signal) {
            case TRACES -> traces(ExportTraceServiceRequest.parseFrom(protobuf));
            case METRICS -> metrics(ExportMetricsServiceRequest.parseFrom(protobuf));
            case LOGS -> logs(ExportLogsServiceRequest.parseFrom(protobuf));
        };
    }

    public static TelemetryItems traces(ExportTraceServiceRequest request) {
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = resource(resourceSpans.getResource(), resourceSpans.getSchemaUrl());
            String serviceName = resource.serviceName();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                InstrumentationScope scope = scope(scopeSpans.getScope(), scopeSpans.getSchemaUrl());
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                    spans.add(span(span, resource, scope, serviceName));
                }
            }
        }
        return new TelemetryItems(spans, List.of(), List.of());
    }

    public static TelemetryItems logs(ExportLogsServiceRequest request) {
        List<LogRecord> logs = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Resource resource = resource(resourceLogs.getResource(), resourceLogs.getSchemaUrl());
            String serviceName = resource.serviceName();
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                InstrumentationScope scope = scope(scopeLogs.getScope(), scopeLogs.getSchemaUrl());
                for (io.opentelemetry.proto.logs.v1.LogRecord record : scopeLogs.getLogRecordsList()) {
                    logs.add(logRecord(record, resource, scope, serviceName));
                }
            }
        }
        return new TelemetryItems(List.of(), logs, List.of());
    }

    public static TelemetryItems metrics(ExportMetricsServiceRequest request) {
        List<MetricPoint> points = MetricConverter.points(request);
        return new TelemetryItems(List.of(), List.of(), points);
    }

    static Resource resource(io.opentelemetry.proto.resource.v1.Resource resource, String schemaUrl) {
        return new Resource(AnyValueText.attributes(resource.getAttributesList()),
                resource.getDroppedAttributesCount(), schemaUrl);
    }

    static InstrumentationScope scope(io.opentelemetry.proto.common.v1.InstrumentationScope scope,
            String schemaUrl) {
        return new InstrumentationScope(scope.getName(), scope.getVersion(),
                AnyValueText.attributes(scope.getAttributesList()), scope.getDroppedAttributesCount(), schemaUrl);
    }

    private static Span span(io.opentelemetry.proto.trace.v1.Span span, Resource resource,
            InstrumentationScope scope, String serviceName) {
        long start = span.getStartTimeUnixNano();
        long duration = Math.max(0, span.getEndTimeUnixNano() - start);
        List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
        for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
            events.add(new SpanEvent(event.getTimeUnixNano(), event.getName(),
                    AnyValueText.attributes(event.getAttributesList()), event.getDroppedAttributesCount()));
        }
        List<SpanLink> links = new ArrayList<>(span.getLinksCount());
        for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
            links.add(new SpanLink(AnyValueText.idHex(link.getTraceId()), AnyValueText.idHex(link.getSpanId()),
                    link.getTraceState(), link.getFlags(), AnyValueText.attributes(link.getAttributesList()),
                    link.getDroppedAttributesCount()));
        }
        return new Span(
                start,
                AnyValueText.idHex(span.getTraceId()),
                AnyValueText.idHex(span.getSpanId()),
                AnyValueText.idHex(span.getParentSpanId()),
                span.getTraceState(),
                span.getFlags(),
                span.getName(),
                spanKind(span.getKindValue()),
                serviceName,
                resource,
                scope,
                AnyValueText.attributes(span.getAttributesList()),
                span.getDroppedAttributesCount(),
                duration,
                statusCode(span.getStatus().getCodeValue()),
                span.getStatus().getMessage(),
                events,
                span.getDroppedEventsCount(),
                links,
                span.getDroppedLinksCount());
    }

    static String spanKind(int number) {
        return switch (number) {
            case 0 -> Span.SpanKind.UNSPECIFIED;
            case 1 -> Span.SpanKind.INTERNAL;
            case 2 -> Span.SpanKind.SERVER;
            case 3 -> Span.SpanKind.CLIENT;
            case 4 -> Span.SpanKind.PRODUCER;
            case 5 -> Span.SpanKind.CONSUMER;
            default -> Integer.toString(number);
        };
    }

    static String statusCode(int number) {
        return switch (number) {
            case 0 -> Span.StatusCode.UNSET;
            case 1 -> Span.StatusCode.OK;
            case 2 -> Span.StatusCode.ERROR;
            default -> Integer.toString(number);
        };
    }

    private static LogRecord logRecord(io.opentelemetry.proto.logs.v1.LogRecord record, Resource resource,
            InstrumentationScope scope, String serviceName) {
        long time = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
        return new LogRecord(
                time,
                record.getObservedTimeUnixNano(),
                AnyValueText.idHex(record.getTraceId()),
                AnyValueText.idHex(record.getSpanId()),
                record.getFlags(),
                record.getSeverityText(),
                record.getSeverityNumberValue(),
                serviceName,
                AnyValueText.text(record.getBody()),
                resource,
                scope,
                AnyValueText.attributes(record.getAttributesList()),
                record.getDroppedAttributesCount(),
                record.getEventName());
    }
}
