package io.otelservices.storage;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * What ingest hands the storage in one write: items of any signal, and the range of ingest write-ahead-log records
 * whose items the batch holds (records whose items were all rejected still belong to a range, so ranges tile the
 * log without gaps).
 *
 * @param spans spans to store
 * @param logs log records to store
 * @param metricPoints metric points to store, of any {@link io.otelservices.model.MetricType}
 * @param firstWalSequence the lowest write-ahead-log sequence of the batch, at least 1
 * @param walSequence the highest write-ahead-log sequence of the batch; {@code 0} for a batch that is not from the
 *     log (then {@code firstWalSequence} is 1 and nothing is recorded). The backend stores the range atomically with
 *     the data (see {@link BatchWriter#storedWalRanges()})
 */
public record WriteBatch(
        List<Span> spans, List<LogRecord> logs, List<MetricPoint> metricPoints, long firstWalSequence,
        long walSequence) {

    public WriteBatch {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        logs = List.copyOf(Objects.requireNonNull(logs, "logs"));
        metricPoints = List.copyOf(Objects.requireNonNull(metricPoints, "metricPoints"));
        if (walSequence < 0 || firstWalSequence < 1 || firstWalSequence > Math.max(walSequence, 1)) {
            throw new IllegalArgumentException("WAL range " + firstWalSequence + ".." + walSequence
                    + " (expected: 1 <= first <= last, or 1..0 for none)");
        }
    }

    /** A batch holding every record up to {@code walSequence}: the form of a single writer that writes in order. */
    public WriteBatch(List<Span> spans, List<LogRecord> logs, List<MetricPoint> metricPoints, long walSequence) {
        this(spans, logs, metricPoints, 1, walSequence);
    }

    /** The batch's log range, or {@code null} for a batch that is not from the log. */
    public WalRange walRange() {
        return walSequence == 0 ? null : new WalRange(firstWalSequence, walSequence);
    }

    /** Spans, log records and metric points in the batch. */
    public int itemCount() {
        return spans.size() + logs.size() + metricPoints.size();
    }
}
