package io.otelservices.storage;

import java.util.List;
import java.util.Objects;

/**
 * A trace search. A trace matches when at least one of its spans starts within {@code range} and satisfies every
 * given span filter ({@code serviceName}, {@code spanName}, the duration bounds and all {@code attributes}).
 *
 * @param range span start times to consider
 * @param traceId exact trace id (lower-case hex), or {@code null} for any
 * @param serviceName exact service name, or {@code null} for any
 * @param spanName exact span (operation) name, or {@code null} for any
 * @param minDurationNanos inclusive lower bound on a matching span's duration, or {@code null}
 * @param maxDurationNanos inclusive upper bound on a matching span's duration, or {@code null}
 * @param attributes equality filters that one span must satisfy together
 * @param limit the most traces to return, > 0; the newest (by their matching spans' latest start) come first
 */
public record TraceQuery(
        TimeRange range,
        String traceId,
        String serviceName,
        String spanName,
        Long minDurationNanos,
        Long maxDurationNanos,
        List<AttributeFilter> attributes,
        int limit) {

    public TraceQuery {
        Objects.requireNonNull(range, "range");
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
    }
}
