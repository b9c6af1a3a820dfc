package io.otelservices.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The write-ahead-log sequences a backend holds, as sorted, disjoint, non-adjacent ranges. What ingest replays after
 * a restart is every logged record that is not in here, so each record reaches storage exactly once even when
 * batches committed out of order.
 */
public final class StoredWalRanges {

    private static final StoredWalRanges EMPTY = new StoredWalRanges(List.of());

    private final List<WalRange> ranges;

    private StoredWalRanges(List<WalRange> ranges) {
        this.ranges = ranges;
    }

    public static StoredWalRanges empty() {
        return EMPTY;
    }

    /** The union of {@code ranges}, in any order, overlapping or not. */
    public static StoredWalRanges of(Collection<WalRange> ranges) {
        List<WalRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(WalRange::first));
        List<WalRange> merged = new ArrayList<>();
        for (WalRange range : sorted) {
            int lastIndex = merged.size() - 1;
            if (lastIndex >= 0 && range.first() <= merged.get(lastIndex).last() + 1) {
                WalRange previous = merged.get(lastIndex);
                merged.set(lastIndex, new WalRange(previous.first(), Math.max(previous.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return new StoredWalRanges(List.copyOf(merged));
    }

    /** These ranges and {@code range}. */
    public StoredWalRanges plus(WalRange range) {
        List<WalRange> all = new ArrayList<>(ranges);
        all.add(range);
        return of(all);
    }

    /** Sorted, disjoint and non-adjacent. */
    public List<WalRange> ranges() {
        return ranges;
    }

    /**
     * The highest sequence {@code s} such that every sequence {@code 1..s} is stored; {@code 0} when sequence 1 is
     * not.
     */
    public long contiguous() {
        return !ranges.isEmpty() && ranges.get(0).first() == 1 ? ranges.get(0).last() : 0;
    }

    public boolean contains(long sequence) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            WalRange range = ranges.get(mid);
            if (sequence < range.first()) {
                high = mid - 1;
            } else if (sequence > range.last()) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredWalRanges other && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
