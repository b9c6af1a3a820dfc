package io.otelservices.query.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.otelservices.query.promql.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Prometheus API's JSON envelope: {@code {"status":"success","data":...,"warnings":[...],"infos":[...]}} (each
 * list only when not empty, at most {@value #MAX_ANNOTATIONS} entries and a count of the rest, as Prometheus'
 * {@code AsStrings}) and {@code {"status":"error","errorType":...,"error":...}}; and the number forms Prometheus
 * writes. Stateless and thread-safe.
 */
final class ResponseJson {

    static final int MAX_ANNOTATIONS = 10;

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes a response's {@code data} value. */
    @FunctionalInterface
    interface DataWriter {
        void write(JsonGenerator json) throws IOException;
    }

    private ResponseJson() {}

    static byte[] success(DataWriter data, List<String> warnings, List<String> infos) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            data.write(json);
            writeAnnotations(json, "warnings", "warning", warnings);
            writeAnnotations(json, "infos", "info", infos);
            json.writeEndObject();
        });
    }

    static byte[] error(ErrorType type, String message) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeStringField("errorType", type.wireName());
            json.writeStringField("error", message);
            json.writeEndObject();
        });
    }

    /**
     * A timestamp as Prometheus writes sample times ({@code jsonutil.MarshalTimestamp}): Unix seconds with the
     * milliseconds as three decimals when there are any ({@code 1435781451.781}, {@code 1.500}, {@code 12}).
     */
    static void writeTimestamp(JsonGenerator json, long millis) throws IOException {
        StringBuilder text = new StringBuilder(24);
        long rest = millis;
        if (rest < 0) {
            text.append('-');
            rest = -rest;
        }
        text.append(rest / 1000);
        long fraction = rest % 1000;
        if (fraction != 0) {
            text.append('.');
            if (fraction < 100) {
                text.append('0');
            }
            if (fraction < 10) {
                text.append('0');
            }
            text.append(fraction);
        }
        json.writeNumber(text.toString());
    }

    /** A label set as a JSON object, names in order. */
    static void writeLabels(JsonGenerator json, Labels labels) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    static void writeStrings(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeAnnotations(JsonGenerator json, String field, String kind, List<String> annotations)
            throws IOException {
        if (annotations.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(field);
        for (int i = 0; i < Math.min(MAX_ANNOTATIONS, annotations.size()); i++) {
            json.writeString(annotations.get(i));
        }
        if (annotations.size() > MAX_ANNOTATIONS) {
            json.writeString((annotations.size() - MAX_ANNOTATIONS) + " more " + kind + " annotations omitted");
        }
        json.writeEndArray();
    }

    private static byte[] write(DataWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON response", e);
        }
        return bytes.toByteArray();
    }
}
