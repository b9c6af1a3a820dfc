package io.otelservices.query.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one JSON response body with the API's conventions: snake_case fields, RFC 3339 times with nanosecond
 * precision, nanosecond integers beyond 2^53 as strings, attribute maps sorted by key. Not thread-safe: one per
 * response.
 */
final class JsonOutput {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The largest integer every JSON reader (IEEE doubles, JavaScript) holds exactly. */
    static final long MAX_EXACT_JSON_INTEGER = 1L << 53;

    private final ByteArrayOutputStream bytes;
    private final JsonGenerator generator;

    JsonOutput() {
        bytes = new ByteArrayOutputStream(1024);
        try {
            generator = FACTORY.createGenerator(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text written so far; closes the generator. */
    byte[] toBytes() {
        try {
            generator.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A body of one field: {@code {"error": message}}. */
    static byte[] error(String message) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.string("error", message);
        out.endObject();
        return out.toBytes();
    }

    void startObject() {
        try {
            generator.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startObject(String field) {
        try {
            generator.writeObjectFieldStart(field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void endObject() {
        try {
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startArray() {
        try {
            generator.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startArray(String field) {
        try {
            generator.writeArrayFieldStart(field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void endArray() {
        try {
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void string(String field, String value) {
        try {
            generator.writeStringField(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stringValue(String value) {
        try {
            generator.writeString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string, or {@code null} when {@code value} is null. */
    void nullableString(String field, String value) {
        try {
            if (value == null) {
                generator.writeNullField(field);
            } else {
                generator.writeStringField(field, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void number(String field, long value) {
        try {
            generator.writeNumberField(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void number(String field, double value) {
        try {
            generator.writeFieldName(field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        numberValue(value);
    }

    /** A finite double as a JSON number; NaN and infinities as the strings {@code NaN}, {@code +Inf}, {@code -Inf}. */
    void numberValue(double value) {
        try {
            if (Double.isNaN(value)) {
                generator.writeString("NaN");
            } else if (Double.isInfinite(value)) {
                generator.writeString(value > 0 ? "+Inf" : "-Inf");
            } else {
                generator.writeNumber(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void bool(String field, boolean value) {
        try {
            generator.writeBooleanField(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nanoseconds as a JSON number, or as a decimal string where the magnitude exceeds 2^53. */
    void nanos(String field, long nanos) {
        try {
            if (nanos > MAX_EXACT_JSON_INTEGER || nanos < -MAX_EXACT_JSON_INTEGER) {
                generator.writeStringField(field, Long.toString(nanos));
            } else {
                generator.writeNumberField(field, nanos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RFC 3339 time with nanosecond precision. */
    void time(String field, long epochNanos) {
        string(field, Timestamps.format(epochNanos));
    }

    /** An RFC 3339 time, or {@code null} where {@code epochNanos} is 0 (OTLP's "absent"). */
    void timeOrNull(String field, long epochNanos) {
        nullableString(field, epochNanos == 0 ? null : Timestamps.format(epochNanos));
    }

    /** A string map as an object, keys sorted. */
    void stringMap(String field, Map<String, String> map) {
        startObject(field);
        Map<String, String> sorted = map.size() <= 1 ? map : new TreeMap<>(map);
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            string(entry.getKey(), entry.getValue());
        }
        endObject();
    }

    void resource(Resource resource) {
        startObject("resource");
        stringMap("attributes", resource.attributes());
        number("dropped_attributes_count", resource.droppedAttributesCount());
        string("schema_url", resource.schemaUrl());
        endObject();
    }

    void scope(InstrumentationScope scope) {
        startObject("scope");
        string("name", scope.name());
        string("version", scope.version());
        stringMap("attributes", scope.attributes());
        number("dropped_attributes_count", scope.droppedAttributesCount());
        string("schema_url", scope.schemaUrl());
        endObject();
    }
}
