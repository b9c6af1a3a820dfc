package io.otelservices.query.prometheus;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import io.otelservices.query.promql.Strings;
import io.otelservices.query.promql.parser.Durations;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parameters of one request, as Go's {@code Request.FormValue} sees them: those of an
 * {@code application/x-www-form-urlencoded} body first, then those of the URL. Typed getters parse times, durations
 * and limits the way Prometheus' API does and fail with its messages. Immutable.
 */
final class RequestParams {

    /** Prometheus' earliest time ({@code MinTime}): the default start of series and label lookups. */
    static final long MIN_TIME_MILLIS = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
    /** Prometheus' latest time ({@code MaxTime}): the default end of series and label lookups. */
    static final long MAX_TIME_MILLIS = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;
    /** {@link #MIN_TIME_MILLIS} and {@link #MAX_TIME_MILLIS} as Go prints them, which clients send back. */
    private static final String MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
    private static final String MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

    /** Go's decimal float literal ({@code strconv.ParseFloat}): digits may be separated by single underscores. */
    private static final Pattern DECIMAL = Pattern.compile(
            "[+-]?(\\d(_?\\d)*(\\.(\\d(_?\\d)*)?)?|\\.\\d(_?\\d)*)([eE][+-]?\\d(_?\\d)*)?");
    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private final QueryParams body;
    private final QueryParams url;

    private RequestParams(QueryParams body, QueryParams url) {
        this.body = body;
        this.url = url;
    }

    static RequestParams of(String queryString, AggregatedHttpRequest request) {
        QueryParams url = queryString == null ? QueryParams.of() : QueryParams.fromQueryString(queryString);
        MediaType contentType = request.contentType();
        QueryParams body = QueryParams.of();
        if (contentType != null && contentType.is(MediaType.FORM_DATA)) {
            body = QueryParams.fromQueryString(request.contentUtf8());
        }
        return new RequestParams(body, url);
    }

    /** The first value of {@code name}, or {@code ""}. */
    String value(String name) {
        String value = body.get(name);
        if (value == null) {
            value = url.get(name);
        }
        return value == null ? "" : value;
    }

    /** Every value of {@code name} (such as {@code match[]}), the body's first. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>(body.getAll(name));
        values.addAll(url.getAll(name));
        return values;
    }

    /**
     * A time parameter that may be left out (Prometheus' {@code parseTimeParam}), in milliseconds.
     *
     * @throws ApiException {@code invalid parameter "time": Invalid time value for 'time': cannot parse ...}
     */
    long optionalTime(String name, long defaultMillis) {
        String text = value(name);
        if (text.isEmpty()) {
            return defaultMillis;
        }
        try {
            return parseTime(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter(name, "Invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** A time parameter that must be given (Prometheus' {@code parseTime}), in milliseconds. */
    long requiredTime(String name) {
        try {
            return parseTime(value(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter(name, e.getMessage());
        }
    }

    /** A duration parameter (Prometheus' {@code parseDuration}) in milliseconds. */
    long duration(String name) {
        try {
            return parseDurationMillis(value(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter(name, e.getMessage());
        }
    }

    /**
     * The {@code limit} parameter (Prometheus' {@code parseLimitParam}): 0, its default, means no limit.
     *
     * @throws ApiException for a value that is not a non-negative integer
     */
    int limit() {
        String text = value("limit");
        if (text.isEmpty()) {
            return 0;
        }
        int limit = goAtoi(text, "limit");
        if (limit < 0) {
            throw ApiException.invalidParameter("limit", "limit must be non-negative");
        }
        return limit;
    }

    /** A Go {@code strconv.Atoi} of a parameter, failing with Go's message. */
    static int goAtoi(String text, String parameter) {
        if (!text.matches("[+-]?\\d+")) {
            throw ApiException.invalidParameter(parameter,
                    "strconv.Atoi: parsing " + Strings.quote(text) + ": invalid syntax");
        }
        try {
            return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(parameter,
                    "strconv.Atoi: parsing " + Strings.quote(text) + ": value out of range");
        }
    }

    /**
     * Unix seconds with up to millisecond precision (rounded, as Prometheus does), or RFC 3339; milliseconds.
     *
     * @throws IllegalArgumentException with Prometheus' message
     */
    static long parseTime(String text) {
        if (DECIMAL.matcher(text).matches()) {
            BigDecimal seconds = new BigDecimal(text.replace("_", ""));
            double value = seconds.doubleValue();
            if (Double.isFinite(value) && Math.abs(value) < 9.2e15) {
                long whole = (long) value;
                double fraction = value - whole;
                return whole * 1000 + (long) (Math.signum(fraction) * Math.round(Math.abs(fraction) * 1000));
            }
        } else if (RFC_3339.matcher(text).matches()) {
            try {
                OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                return time.toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // Not a valid date: fall through to the message.
            }
        } else if (text.equals(MIN_TIME_TEXT)) {
            return MIN_TIME_MILLIS;
        } else if (text.equals(MAX_TIME_TEXT)) {
            return MAX_TIME_MILLIS;
        }
        throw new IllegalArgumentException("cannot parse " + Strings.quote(text) + " to a valid timestamp");
    }

    /**
     * Float seconds or a Prometheus duration ({@code 1m30s}), in milliseconds (truncated).
     *
     * @throws IllegalArgumentException with Prometheus' message
     */
    static long parseDurationMillis(String text) {
        double seconds = DECIMAL.matcher(text).matches() ? new BigDecimal(text.replace("_", "")).doubleValue()
                : Double.NaN;
        // Go's ParseFloat fails for values beyond a double's range; Prometheus then tries a duration string.
        if (Double.isFinite(seconds)) {
            double nanos = seconds * 1e9;
            if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
                throw new IllegalArgumentException("cannot parse " + Strings.quote(text)
                        + " to a valid duration. It overflows int64");
            }
            return (long) nanos / 1_000_000L;
        }
        try {
            return Durations.parseMillis(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse " + Strings.quote(text) + " to a valid duration", e);
        }
    }
}
