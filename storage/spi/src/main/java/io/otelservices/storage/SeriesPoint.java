package io.otelservices.storage;

import io.otelservices.model.Exemplar;
import io.otelservices.model.MetricValue;
import java.util.List;
import java.util.Objects;

/**
 * One point of a {@link MetricSeries}.
 *
 * @param startTimeNanos start of the aggregation window, 0 when absent
 * @param timeNanos the point's time, Unix epoch nanoseconds
 * @param flags OTLP data point flags
 * @param value the type-specific value
 * @param exemplars the point's exemplars
 */
public record SeriesPoint(long startTimeNanos, long timeNanos, int flags, MetricValue value, List<Exemplar> exemplars) {
    public SeriesPoint {
        Objects.requireNonNull(value, "value");
        exemplars = List.copyOf(Objects.requireNonNull(exemplars, "exemplars"));
    }
}
