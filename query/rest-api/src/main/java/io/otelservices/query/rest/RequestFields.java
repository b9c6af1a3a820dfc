package io.otelservices.query.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.QueryParams;
import io.otelservices.model.TraceIds;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.TimeRange;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of one request (a JSON object body, or the query parameters of a GET), with typed, validating
 * accessors. Absent fields and JSON {@code null} read as "not given". Every accessor throws an
 * {@link ApiException} (400) that names the field, what is wrong and what was expected.
 */
final class RequestFields {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_SHOWN_VALUE_LENGTH = 100;
    private static final String TIME_EXPECTED = "an RFC 3339 time such as 2024-05-01T12:00:00Z";

    private final ObjectNode fields;

    private RequestFields(ObjectNode fields) {
        this.fields = fields;
    }

    /**
     * Parses a JSON object body; an empty body is an empty object (all defaults).
     *
     * @param allowed the field names the endpoint knows; any other field is rejected
     */
    static RequestFields ofJsonBody(byte[] body, List<String> allowed) {
        if (isBlank(body)) {
            return new RequestFields(JsonNodeFactory.instance.objectNode());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw ApiException.badRequest("body", "malformed JSON" + where + ": " + e.getOriginalMessage(),
                    "a JSON object");
        } catch (IOException e) {
            throw ApiException.badRequest("body", "unreadable: " + e.getMessage(), "a JSON object");
        }
        if (!(root instanceof ObjectNode object)) {
            throw ApiException.badRequest("body", "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT),
                    "a JSON object");
        }
        return checked(object, allowed);
    }

    /** The query parameters as string fields; a parameter given twice is rejected. */
    static RequestFields ofQueryParams(QueryParams params, List<String> allowed) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> param : params) {
            if (object.has(param.getKey())) {
                throw ApiException.badRequest(param.getKey(), "given more than once", "at most one value");
            }
            object.put(param.getKey(), param.getValue());
        }
        return checked(object, allowed);
    }

    private static RequestFields checked(ObjectNode object, List<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(name, "unknown field",
                        allowed.isEmpty() ? "no fields" : "one of " + String.join(", ", allowed));
            }
        }
        return new RequestFields(object);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The field's value, or {@code null} when absent or JSON {@code null}. */
    private JsonNode node(String name) {
        JsonNode node = fields.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** A string field, or {@code null}. */
    String string(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(name, shown(node), "a string");
        }
        return node.textValue();
    }

    /** A string field where the empty string also means "not given". */
    String nonEmptyString(String name) {
        String value = string(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** A trace id field, lower-cased, or {@code null}; the empty string means "not given". */
    String traceId(String name) {
        String value = nonEmptyString(name);
        if (value == null) {
            return null;
        }
        return validTraceId(name, value);
    }

    /** {@code value} lower-cased when it is a valid trace id; a 400 naming {@code field} otherwise. */
    static String validTraceId(String field, String value) {
        if (!TraceIds.isValidTraceId(value)) {
            throw ApiException.badRequest(field, shownText(value), "32 hex digits, not all zero");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** An RFC 3339 time field as Unix epoch nanoseconds, or {@code null}. */
    Long timeNanos(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(name, shown(node), TIME_EXPECTED);
        }
        try {
            return Timestamps.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name, shown(node) + " is " + e.getMessage(), TIME_EXPECTED);
        }
    }

    /**
     * The range of {@code start_time} and {@code end_time}: the hour ending now when neither is given, the hour
     * before {@code end_time} when only that is given, and up to now when only {@code start_time} is given.
     */
    TimeRange timeRange(Clock clock) {
        Long start = timeNanos("start_time");
        Long end = timeNanos("end_time");
        if (end == null) {
            end = Timestamps.now(clock);
            if (start != null && end < start) {
                throw ApiException.badRequest("start_time", Timestamps.format(start) + " is in the future",
                        "a time before now (" + Timestamps.format(end) + ") or an end_time");
            }
        }
        if (start == null) {
            start = end - Timestamps.NANOS_PER_HOUR;
        }
        if (end < start) {
            throw ApiException.badRequest("end_time",
                    Timestamps.format(end) + " is before start_time " + Timestamps.format(start),
                    "end_time >= start_time");
        }
        return new TimeRange(start, end);
    }

    /**
     * A duration in nanoseconds, or {@code null}: a JSON integer or numeric string of nanoseconds, or a Go-style
     * duration string such as {@code 250ms}. Never negative.
     */
    Long durationNanos(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        String expected = "a non-negative integer of nanoseconds, or a duration such as 250ms";
        long nanos;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            nanos = node.longValue();
        } else if (node.isTextual() && isInteger(node.textValue())) {
            try {
                nanos = Long.parseLong(node.textValue());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name, shown(node) + " is too large", expected);
            }
        } else if (node.isTextual()) {
            try {
                nanos = GoDuration.parseNanos(node.textValue());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(name, shown(node) + ": " + e.getMessage(), expected);
            }
        } else {
            throw ApiException.badRequest(name, shown(node), expected);
        }
        if (nanos < 0) {
            throw ApiException.badRequest(name, shown(node) + " is negative", expected);
        }
        return nanos;
    }

    /**
     * A positive duration in nanoseconds, or {@code null}: a JSON number or numeric string of seconds (fractions
     * allowed), or a Go-style duration string such as {@code 30s}, {@code 5m}, {@code 1h}.
     */
    Long secondsOrDurationNanos(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        String expected = "a duration such as 30s, 5m or 1h, or a number of seconds";
        BigDecimal nanos;
        if (node.isNumber()) {
            nanos = node.decimalValue().multiply(BigDecimal.valueOf(Timestamps.NANOS_PER_SECOND));
        } else if (node.isTextual()) {
            String text = node.textValue();
            try {
                nanos = new BigDecimal(text).multiply(BigDecimal.valueOf(Timestamps.NANOS_PER_SECOND));
            } catch (NumberFormatException notANumber) {
                try {
                    nanos = BigDecimal.valueOf(GoDuration.parseNanos(text));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(name, shown(node) + ": " + e.getMessage(), expected);
                }
            }
        } else {
            throw ApiException.badRequest(name, shown(node), expected);
        }
        if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw ApiException.badRequest(name, shown(node) + " is out of range", expected);
        }
        return nanos.longValue();
    }

    /** An integer field in {@code min..max}, {@code defaultValue} when absent. */
    int integer(String name, int min, int max, int defaultValue) {
        JsonNode node = node(name);
        if (node == null) {
            return defaultValue;
        }
        String expected = "an integer in " + min + ".." + max;
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.badRequest(name, shown(node), expected);
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw ApiException.badRequest(name, value + " is out of range", expected);
        }
        return value;
    }

    /** The raw JSON value of a field, or {@code null}; for fields whose type varies (severity). */
    JsonNode raw(String name) {
        return node(name);
    }

    /**
     * An object of attribute equality filters; values may be strings, or numbers and booleans, which match their
     * stored JSON text (DESIGN.md §3).
     */
    List<AttributeFilter> attributes(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(name, shown(node), "an object of attribute keys to values");
        }
        List<AttributeFilter> filters = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            String text;
            if (value.isTextual()) {
                text = value.textValue();
            } else if (value.isNumber() || value.isBoolean()) {
                text = value.toString();
            } else {
                throw ApiException.badRequest(name + '.' + entry.getKey(), shown(value),
                        "a string, number or boolean");
            }
            filters.add(new AttributeFilter(entry.getKey(), text));
        }
        return filters;
    }

    /** An array of distinct non-empty strings, empty when absent. */
    List<String> stringList(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return List.of();
        }
        String expected = "an array of distinct non-empty strings";
        if (!node.isArray()) {
            throw ApiException.badRequest(name, shown(node), expected);
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual() || element.textValue().isEmpty() || values.contains(element.textValue())) {
                throw ApiException.badRequest(name, shown(node), expected);
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** A JSON value as shown in an error message, shortened. */
    static String shown(JsonNode node) {
        return shorten(node.toString());
    }

    /** A string as shown in an error message: JSON-quoted, shortened. */
    static String shownText(String text) {
        return shorten(JsonNodeFactory.instance.textNode(text).toString());
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN_VALUE_LENGTH ? text : text.substring(0, MAX_SHOWN_VALUE_LENGTH) + "...";
    }

    private static boolean isInteger(String text) {
        if (text.isEmpty()) {
            return false;
        }
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
