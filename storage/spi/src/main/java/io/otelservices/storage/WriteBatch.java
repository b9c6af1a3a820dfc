package io.otelservices.storage;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * What ingest hands the storage in one write: items of any signal, and the position in the ingest write-ahead log
 * that the batch brings storage up to.
 *
 * @param spans spans to store
 * @param logs log records to store
 * @param metricPoints metric points to store, of any {@link io.otelservices.model.MetricType}
 * @param walSequence the highest write-ahead-log sequence number whose items are all in this batch or an earlier
 *     one; the backend stores it atomically with the data (see {@link BatchWriter#durableWalSequence()})
 */
public record WriteBatch(List<Span> spans, List<LogRecord> logs, List<MetricPoint> metricPoints, long walSequence) {

    public WriteBatch {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        logs = List.copyOf(Objects.requireNonNull(logs, "logs"));
        metricPoints = List.copyOf(Objects.requireNonNull(metricPoints, "metricPoints"));
        if (walSequence < 0) {
            throw new IllegalArgumentException("walSequence: " + walSequence + " (expected: >= 0)");
        }
    }

    /** Spans, log records and metric points in the batch. */
    public int itemCount() {
        return spans.size() + logs.size() + metricPoints.size();
    }
}
