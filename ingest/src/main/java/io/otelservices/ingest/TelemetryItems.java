package io.otelservices.ingest;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * The model items decoded from one accepted request. Immutable; crosses from the receiving thread to the storage
 * writer thread.
 */
public record TelemetryItems(List<Span> spans, List<LogRecord> logs, List<MetricPoint> metricPoints) {

    public static final TelemetryItems EMPTY = new TelemetryItems(List.of(), List.of(), List.of());

    public TelemetryItems {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        logs = List.copyOf(Objects.requireNonNull(logs, "logs"));
        metricPoints = List.copyOf(Objects.requireNonNull(metricPoints, "metricPoints"));
    }

    /** Spans, log records and metric points together. */
    public int itemCount() {
        return spans.size() + logs.size() + metricPoints.size();
    }
}
