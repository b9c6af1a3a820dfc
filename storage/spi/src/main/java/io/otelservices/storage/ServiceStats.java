package io.otelservices.storage;

import java.util.List;

/**
 * Span statistics of one service over a time range.
 *
 * @param serviceName the service
 * @param spanCount spans that started in the range
 * @param errorCount of those, spans with status {@code Error}
 * @param p50DurationNanos median span duration (nearest-rank: the smallest duration with at least 50 % of spans at
 *     or below it); likewise p95 and p99
 * @param operations distinct span names, sorted
 */
public record ServiceStats(
        String serviceName,
        long spanCount,
        long errorCount,
        long p50DurationNanos,
        long p95DurationNanos,
        long p99DurationNanos,
        List<String> operations) {

    public ServiceStats {
        operations = List.copyOf(operations);
    }
}
