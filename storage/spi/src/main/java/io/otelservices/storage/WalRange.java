package io.otelservices.storage;

/**
 * A closed range of ingest write-ahead-log sequence numbers, {@code first..last}. Ingest hands storage contiguous
 * ranges, one per batch; with several writers they may commit out of order.
 *
 * @param first the lowest sequence in the range, at least 1
 * @param last the highest sequence in the range, at least {@code first}
 */
public record WalRange(long first, long last) {

    public WalRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("WAL range " + first + ".." + last + " (expected: 1 <= first <= last)");
        }
    }

    public boolean contains(long sequence) {
        return sequence >= first && sequence <= last;
    }
}
