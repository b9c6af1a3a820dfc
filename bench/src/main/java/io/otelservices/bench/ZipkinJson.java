package io.otelservices.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes generated spans as a Zipkin v2 JSON list ({@code POST /api/v2/spans}), mapped the way the OpenTelemetry
 * Zipkin exporter maps them: ids in hex, times in microseconds, SERVER/CLIENT/PRODUCER/CONSUMER kinds (INTERNAL has
 * none), {@code localEndpoint.serviceName} from {@code service.name}, the peer as {@code remoteEndpoint} of CLIENT and
 * PRODUCER spans, attributes as string tags, events as annotations, status ERROR as {@code error} and
 * {@code otel.status_code} tags, the scope as {@code otel.scope.name}/{@code otel.scope.version}. Thread-safe.
 */
final class ZipkinJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ZipkinJson() {}

    /** A span and the service name of its resource. */
    record ServiceSpan(String serviceName, InstrumentationScope scope, Span span) {}

    static byte[] encode(List<ServiceSpan> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(spans.size() * 900);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (ServiceSpan serviceSpan : spans) {
                write(json, serviceSpan);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + spans.size() + " spans as Zipkin JSON", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, ServiceSpan serviceSpan) throws IOException {
        Span span = serviceSpan.span();
        json.writeStartObject();
        json.writeStringField("traceId", OtlpValues.hex(span.getTraceId()));
        if (!span.getParentSpanId().isEmpty()) {
            json.writeStringField("parentId", OtlpValues.hex(span.getParentSpanId()));
        }
        json.writeStringField("id", OtlpValues.hex(span.getSpanId()));
        String kind = switch (span.getKind()) {
            case SPAN_KIND_SERVER -> "SERVER";
            case SPAN_KIND_CLIENT -> "CLIENT";
            case SPAN_KIND_PRODUCER -> "PRODUCER";
            case SPAN_KIND_CONSUMER -> "CONSUMER";
            default -> null;
        };
        if (kind != null) {
            json.writeStringField("kind", kind);
        }
        json.writeStringField("name", span.getName());
        json.writeNumberField("timestamp", span.getStartTimeUnixNano() / 1_000L);
        json.writeNumberField("duration", Math.max(1, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000L));
        json.writeObjectFieldStart("localEndpoint");
        json.writeStringField("serviceName", serviceSpan.serviceName());
        json.writeEndObject();
        if (kind != null && (kind.equals("CLIENT") || kind.equals("PRODUCER"))) {
            String peer = attribute(span.getAttributesList(), "server.address");
            if (peer != null) {
                json.writeObjectFieldStart("remoteEndpoint");
                json.writeStringField("serviceName", peer);
                json.writeEndObject();
            }
        }
        if (span.getEventsCount() > 0) {
            json.writeArrayFieldStart("annotations");
            for (Span.Event event : span.getEventsList()) {
                json.writeStartObject();
                json.writeNumberField("timestamp", event.getTimeUnixNano() / 1_000L);
                // The OTel Zipkin exporter writes the event name plus its attributes as JSON text.
                StringBuilder value = new StringBuilder(event.getName()).append(" {");
                for (int i = 0; i < event.getAttributesCount(); i++) {
                    KeyValue attribute = event.getAttributes(i);
                    value.append(i == 0 ? "" : ",").append('"').append(attribute.getKey()).append("\":\"")
                            .append(text(attribute.getValue()).replace("\\", "\\\\").replace("\"", "\\\"")
                                    .replace("\n", "\\n").replace("\t", "\\t")).append('"');
                }
                json.writeStringField("value", value.append('}').toString());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeObjectFieldStart("tags");
        for (KeyValue attribute : span.getAttributesList()) {
            json.writeStringField(attribute.getKey(), text(attribute.getValue()));
        }
        json.writeStringField("otel.scope.name", serviceSpan.scope().getName());
        json.writeStringField("otel.scope.version", serviceSpan.scope().getVersion());
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            json.writeStringField("otel.status_code", "ERROR");
            json.writeStringField("error", span.getStatus().getMessage());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        for (KeyValue attribute : attributes) {
            if (attribute.getKey().equals(key)) {
                return text(attribute.getValue());
            }
        }
        return null;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            default -> value.toString();
        };
    }
}
