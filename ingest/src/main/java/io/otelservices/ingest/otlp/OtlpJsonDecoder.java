package io.otelservices.ingest.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes OTLP/JSON (OTLP specification, "JSON Protobuf Encoding") into protobuf messages, driven by the message
 * descriptors:
 * <ul>
 *   <li>field names in lowerCamelCase or as in the .proto file; unknown fields are skipped;
 *   <li>{@code trace_id}, {@code span_id} and {@code parent_span_id} as hex of either case (not base64); other
 *       bytes fields as base64 (standard or URL-safe, padding optional);
 *   <li>64-bit integers as JSON strings or numbers; doubles also as {@code "NaN"}, {@code "Infinity"},
 *       {@code "-Infinity"};
 *   <li>enums as integers (unknown numbers kept) or value names (an unknown name is an error).
 * </ul>
 * Errors name the JSON path, e.g. {@code resourceSpans[0].scopeSpans[0].spans[2].kind: unknown enum value ...}.
 * Thread-safe.
 */
final class OtlpJsonDecoder {

    /** Same as protobuf's own default recursion limit for binary messages. */
    static final int MAX_DEPTH = 100;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH * 2 + 10)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();
    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private OtlpJsonDecoder() {}

    /** Parses {@code json} into {@code builder}'s message type. */
    @SuppressWarnings("unchecked")
    static <T extends Message> T decode(byte[] json, Message.Builder builder) throws OtlpRequestException {
        Path path = new Path();
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw OtlpRequestException.badData("invalid JSON: empty body");
            }
            if (token != JsonToken.START_OBJECT) {
                throw OtlpRequestException.badData("invalid JSON: expected an object at the top level, found "
                        + describe(token));
            }
            readMessage(parser, builder, path, 0);
            if (parser.nextToken() != null) {
                throw OtlpRequestException.badData("invalid JSON: unexpected content after the top-level object at "
                        + location(parser));
            }
            return (T) builder.build();
        } catch (JsonProcessingException e) {
            String where = path.isEmpty() ? "" : " in " + path;
            throw new OtlpRequestException(OtlpRequestException.Kind.BAD_DATA,
                    "invalid JSON" + where + " at " + location(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new OtlpRequestException(OtlpRequestException.Kind.BAD_DATA, "cannot read JSON: " + e.getMessage(),
                    e);
        }
    }

    private static void readMessage(JsonParser parser, Message.Builder builder, Path path, int depth)
            throws IOException, OtlpRequestException {
        if (depth > MAX_DEPTH) {
            throw error(path, "nesting deeper than " + MAX_DEPTH + " levels");
        }
        Map<String, FieldDescriptor> fields = fieldsByName(builder.getDescriptorForType());
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            FieldDescriptor field = fields.get(name);
            JsonToken valueToken = parser.nextToken();
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (valueToken == JsonToken.VALUE_NULL) {
                continue;
            }
            path.push(name);
            if (field.isRepeated()) {
                if (valueToken != JsonToken.START_ARRAY) {
                    throw error(path, "expected an array, found " + describe(valueToken));
                }
                int index = 0;
                while ((valueToken = parser.nextToken()) != JsonToken.END_ARRAY) {
                    path.pushIndex(index++);
                    if (valueToken == JsonToken.VALUE_NULL) {
                        throw error(path, "null is not allowed in an array");
                    }
                    builder.addRepeatedField(field, readValue(parser, builder, field, valueToken, path, depth));
                    path.pop();
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (valueToken != JsonToken.START_OBJECT) {
                    throw error(path, "expected an object, found " + describe(valueToken));
                }
                readMessage(parser, builder.getFieldBuilder(field), path, depth + 1);
            } else {
                builder.setField(field, readValue(parser, builder, field, valueToken, path, depth));
            }
            path.pop();
        }
        if (token != JsonToken.END_OBJECT) {
            throw error(path, "expected a field name, found " + describe(token));
        }
    }

    private static Object readValue(JsonParser parser, Message.Builder parent, FieldDescriptor field,
            JsonToken token, Path path, int depth) throws IOException, OtlpRequestException {
        switch (field.getJavaType()) {
            case MESSAGE: {
                if (token != JsonToken.START_OBJECT) {
                    throw error(path, "expected an object, found " + describe(token));
                }
                Message.Builder child = parent.newBuilderForField(field);
                readMessage(parser, child, path, depth + 1);
                return child.build();
            }
            case INT:
                return (int) readInteger(parser, token, field, path);
            case LONG:
                return readInteger(parser, token, field, path);
            case DOUBLE:
                return readDouble(parser, token, path);
            case FLOAT: {
                double value = readDouble(parser, token, path);
                if (Double.isFinite(value) && Math.abs(value) > Float.MAX_VALUE) {
                    throw error(path, "out of range for a float: " + value);
                }
                return (float) value;
            }
            case BOOLEAN:
                if (token == JsonToken.VALUE_TRUE) {
                    return Boolean.TRUE;
                }
                if (token == JsonToken.VALUE_FALSE) {
                    return Boolean.FALSE;
                }
                throw error(path, "expected true or false, found " + describe(token));
            case STRING:
                if (token != JsonToken.VALUE_STRING) {
                    throw error(path, "expected a string, found " + describe(token));
                }
                return parser.getText();
            case BYTE_STRING:
                if (token != JsonToken.VALUE_STRING) {
                    throw error(path, "expected a string, found " + describe(token));
                }
                return isHexId(field) ? hex(parser.getText(), path) : base64(parser.getText(), path);
            case ENUM:
                return readEnum(parser, token, field.getEnumType(), path);
            default:
                throw error(path, "unsupported field type " + field.getJavaType());
        }
    }

    /** Reads an integer of the field's protobuf type, range-checked, as a long (int types fit). */
    private static long readInteger(JsonParser parser, JsonToken token, FieldDescriptor field, Path path)
            throws IOException, OtlpRequestException {
        BigInteger value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = parser.getNumberType();
            value = type == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue()
                    : BigInteger.valueOf(parser.getLongValue());
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = integral(parser.getDecimalValue(), parser.getText(), path);
        } else if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText().trim();
            try {
                value = integral(new BigDecimal(text), text, path);
            } catch (NumberFormatException e) {
                throw error(path, "expected an integer, found \"" + abbreviate(text) + "\"");
            }
        } else {
            throw error(path, "expected an integer, found " + describe(token));
        }
        BigInteger min;
        BigInteger max;
        switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> {
                min = BigInteger.valueOf(Integer.MIN_VALUE);
                max = BigInteger.valueOf(Integer.MAX_VALUE);
            }
            case UINT32, FIXED32 -> {
                min = BigInteger.ZERO;
                max = BigInteger.valueOf(0xFFFF_FFFFL);
            }
            case UINT64, FIXED64 -> {
                min = BigInteger.ZERO;
                max = UINT64_MAX;
            }
            default -> {
                min = BigInteger.valueOf(Long.MIN_VALUE);
                max = BigInteger.valueOf(Long.MAX_VALUE);
            }
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw error(path, value + " is out of range (expected: " + min + " to " + max + ")");
        }
        return value.longValue(); // two's complement wrap keeps unsigned 32/64-bit values as protobuf-java does
    }

    private static BigInteger integral(BigDecimal decimal, String text, Path path) throws OtlpRequestException {
        try {
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw error(path, "expected an integer, found " + abbreviate(text));
        }
    }

    private static double readDouble(JsonParser parser, JsonToken token, Path path)
            throws IOException, OtlpRequestException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText().trim();
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return new BigDecimal(text).doubleValue();
                    } catch (NumberFormatException e) {
                        throw error(path, "expected a number, found \"" + abbreviate(text) + "\"");
                    }
            }
        }
        throw error(path, "expected a number, found " + describe(token));
    }

    private static EnumValueDescriptor readEnum(JsonParser parser, JsonToken token, EnumDescriptor type, Path path)
            throws IOException, OtlpRequestException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            long number = parser.getLongValue();
            if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                throw error(path, number + " is out of range for an enum");
            }
            // OTLP enums are open (proto3): an unknown number is kept as is.
            return type.findValueByNumberCreatingIfUnknown((int) number);
        }
        if (token == JsonToken.VALUE_STRING) {
            String name = parser.getText();
            EnumValueDescriptor value = type.findValueByName(name);
            if (value != null) {
                return value;
            }
            try {
                return type.findValueByNumberCreatingIfUnknown(Integer.parseInt(name.trim()));
            } catch (NumberFormatException e) {
                List<String> names = new ArrayList<>();
                for (EnumValueDescriptor known : type.getValues()) {
                    names.add(known.getName());
                }
                throw error(path, "unknown " + type.getName() + " value \"" + abbreviate(name)
                        + "\" (expected: a number or one of " + names + ")");
            }
        }
        throw error(path, "expected an enum name or number, found " + describe(token));
    }

    private static boolean isHexId(FieldDescriptor field) {
        String name = field.getName();
        return name.equals("trace_id") || name.equals("span_id") || name.equals("parent_span_id");
    }

    private static ByteString hex(String text, Path path) throws OtlpRequestException {
        int length = text.length();
        if ((length & 1) != 0) {
            throw error(path, "odd number of hex digits in \"" + abbreviate(text) + "\"");
        }
        byte[] bytes = new byte[length / 2];
        for (int i = 0; i < bytes.length; i++) {
            int high = Character.digit(text.charAt(2 * i), 16);
            int low = Character.digit(text.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw error(path, "not a hex id: \"" + abbreviate(text) + "\" (expected: hex digits, not base64)");
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return ByteString.copyFrom(bytes);
    }

    private static ByteString base64(String text, Path path) throws OtlpRequestException {
        try {
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return ByteString.copyFrom((urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text));
        } catch (IllegalArgumentException e) {
            throw error(path, "invalid base64: " + e.getMessage());
        }
    }

    private static Map<String, FieldDescriptor> fieldsByName(Descriptor descriptor) {
        return FIELDS.computeIfAbsent(descriptor, d -> {
            Map<String, FieldDescriptor> byName = new HashMap<>();
            for (FieldDescriptor field : d.getFields()) {
                byName.put(field.getName(), field);
                byName.put(field.getJsonName(), field);
            }
            return Map.copyOf(byName);
        });
    }

    private static OtlpRequestException error(Path path, String message) {
        return OtlpRequestException.badData("invalid OTLP/JSON at " + path + ": " + message);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String location(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr();
    }

    private static String location(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "an unknown position";
        }
        return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** The JSON path being read, for error messages: {@code resourceSpans[0].scopeSpans[1].spans[3].traceId}. */
    private static final class Path {
        private final List<Object> parts = new ArrayList<>();

        void push(String name) {
            parts.add(name);
        }

        void pushIndex(int index) {
            parts.add(index);
        }

        void pop() {
            parts.remove(parts.size() - 1);
        }

        boolean isEmpty() {
            return parts.isEmpty();
        }

        @Override
        public String toString() {
            if (parts.isEmpty()) {
                return "the top level";
            }
            StringBuilder out = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    if (out.length() > 0) {
                        out.append('.');
                    }
                    out.append(part);
                }
            }
            return out.toString();
        }
    }
}
