package io.otelservices.ingest.pipeline;

import static java.util.Objects.requireNonNull;

import io.otelservices.ingest.TelemetryItems;

/**
 * The items of one write-ahead-log record, ready for storage.
 *
 * @param sequence the record's write-ahead-log sequence number
 * @param items the record's decoded items
 * @param queuedAtNanos {@link System#nanoTime()} when the items were queued, for the batch delay
 */
public record SequencedItems(long sequence, TelemetryItems items, long queuedAtNanos) {
    public SequencedItems {
        requireNonNull(items, "items");
    }

    public SequencedItems(long sequence, TelemetryItems items) {
        this(sequence, items, System.nanoTime());
    }
}
