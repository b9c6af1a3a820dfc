package io.otelservices.storage;

import io.otelservices.model.LogRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A log search. Results are ordered newest first by timestamp; ties are broken by a backend-independent order
 * (service name, then trace id, span id, body, ascending) so that pages never overlap or skip.
 *
 * @param range record timestamps to consider
 * @param serviceName exact service name, or {@code null}
 * @param minSeverityNumber records with a severity number at least this (1..24), or 0 for any
 * @param searchText case-insensitive substring of the body, or {@code null}
 * @param traceId exact trace id (lower-case hex), or {@code null}
 * @param attributes equality filters on log or resource attributes, all must hold
 * @param limit the most records to return, > 0
 * @param after continue after this position of an earlier page, or {@code null} for the first page
 */
public record LogQuery(
        TimeRange range,
        String serviceName,
        int minSeverityNumber,
        String searchText,
        String traceId,
        List<AttributeFilter> attributes,
        int limit,
        LogCursor after) {

    /** The order of results: newest first, ties by service name, trace id, span id and body in code point order. */
    public static final Comparator<LogRecord> NEWEST_FIRST = Comparator
            .comparingLong(LogRecord::timestampNanos).reversed()
            .thenComparing(LogRecord::serviceName, CodePointOrder.INSTANCE)
            .thenComparing(LogRecord::traceId, CodePointOrder.INSTANCE)
            .thenComparing(LogRecord::spanId, CodePointOrder.INSTANCE)
            .thenComparing(LogRecord::body, CodePointOrder.INSTANCE);

    public LogQuery {
        Objects.requireNonNull(range, "range");
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
    }
}
