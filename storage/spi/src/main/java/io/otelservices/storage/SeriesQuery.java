package io.otelservices.storage;

import java.util.List;
import java.util.Objects;

/**
 * A selection of metric series and their points.
 *
 * @param metricName exact metric name as sent by the producer
 * @param serviceName exact service name, or {@code null} for any
 * @param attributes equality filters on point or resource attributes, all must hold
 * @param range point times ({@code TimeUnix}) to return
 * @param maxSeries the most series the caller accepts; a backend fails the query with
 *     {@link QueryLimitExceededException} rather than return more
 * @param hints optional push-down hints; a backend may ignore them and must still be correct
 */
public record SeriesQuery(
        String metricName,
        String serviceName,
        List<AttributeFilter> attributes,
        TimeRange range,
        int maxSeries,
        SeriesHints hints) {

    public SeriesQuery {
        Objects.requireNonNull(metricName, "metricName");
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        Objects.requireNonNull(range, "range");
        if (maxSeries <= 0) {
            throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: > 0)");
        }
        hints = Objects.requireNonNullElse(hints, SeriesHints.NONE);
    }
}
