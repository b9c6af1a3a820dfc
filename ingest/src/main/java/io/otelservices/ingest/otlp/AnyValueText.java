package io.otelservices.ingest.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otelservices.model.AttributeValues;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP {@code AnyValue}s as the strings the model keeps (DESIGN.md §3, {@link AttributeValues}): a string as is,
 * any other type as its JSON text ({@code true}, {@code 42}, {@code 1.5}, arrays, key/value lists as objects,
 * bytes as a base64 JSON string). An empty value is the empty string at the top level and {@code null} inside an
 * array or list.
 */
final class AnyValueText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AnyValueText() {}

    static String text(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case BOOL_VALUE:
                return value.getBoolValue() ? "true" : "false";
            case INT_VALUE:
                return Long.toString(value.getIntValue());
            case DOUBLE_VALUE:
                return doubleText(value.getDoubleValue());
            case VALUE_NOT_SET:
                return "";
            default:
                StringBuilder json = new StringBuilder(32);
                appendJson(json, value);
                return json.toString();
        }
    }

    /** Attributes as a map of key to text; a repeated key keeps its last value. */
    static Map<String, String> attributes(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>(attributes.size() * 2);
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue attribute = attributes.get(i);
            map.put(attribute.getKey(), text(attribute.getValue()));
        }
        return map;
    }

    static String doubleText(double value) {
        if (Double.isNaN(value)) {
            return AttributeValues.NAN;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? AttributeValues.POSITIVE_INFINITY : AttributeValues.NEGATIVE_INFINITY;
        }
        return Double.toString(value);
    }

    private static void appendJson(StringBuilder out, AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> appendQuoted(out, value.getStringValue());
            case BOOL_VALUE -> out.append(value.getBoolValue());
            case INT_VALUE -> out.append(value.getIntValue());
            case DOUBLE_VALUE -> out.append(doubleText(value.getDoubleValue()));
            case BYTES_VALUE -> out.append('"')
                    .append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray())).append('"');
            case ARRAY_VALUE -> {
                out.append('[');
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendJson(out, values.get(i));
                }
                out.append(']');
            }
            case KVLIST_VALUE -> {
                out.append('{');
                List<KeyValue> values = value.getKvlistValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendQuoted(out, values.get(i).getKey());
                    out.append(':');
                    appendJson(out, values.get(i).getValue());
                }
                out.append('}');
            }
            case VALUE_NOT_SET -> out.append("null");
        }
    }

    static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Lower-case hex of an id; the empty string for an empty or all-zero id (an invalid id means none). */
    static String idHex(ByteString id) {
        int size = id.size();
        boolean allZero = true;
        for (int i = 0; i < size && allZero; i++) {
            allZero = id.byteAt(i) == 0;
        }
        if (allZero) {
            return "";
        }
        char[] out = new char[size * 2];
        for (int i = 0; i < size; i++) {
            int b = id.byteAt(i);
            out[2 * i] = HEX[(b >> 4) & 0xf];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
