package io.otelservices.storage;

/**
 * A position in a newest-first log result: the next page holds the records older than
 * {@code timestampNanos}, plus those at exactly {@code timestampNanos} after the first {@code skipAtTimestamp}
 * of them in the tie-break order of {@link LogQuery}.
 */
public record LogCursor(long timestampNanos, int skipAtTimestamp) {
    public LogCursor {
        if (skipAtTimestamp < 0) {
            throw new IllegalArgumentException("skipAtTimestamp: " + skipAtTimestamp + " (expected: >= 0)");
        }
    }
}
