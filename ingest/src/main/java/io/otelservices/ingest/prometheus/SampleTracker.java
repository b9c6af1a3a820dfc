package io.otelservices.ingest.prometheus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;

/**
 * The latest stored sample (timestamp and value) of each recently written series, so that the receiver can refuse
 * out-of-order samples and samples that change the value at a stored timestamp, as Prometheus' own storage does.
 *
 * <p>Bounded: at most {@code maxSeries} series are remembered (Caffeine's size eviction, least useful first). The
 * check is best effort: after a restart, or once a series was evicted, its older samples are accepted again. Only
 * samples that were made durable advance the tracker ({@link #advance}), so a request refused with 503 can be
 * retried, and a retry of a stored request finds its samples as identical duplicates, which are dropped silently.
 * Thread-safe.
 */
final class SampleTracker {

    /** A series' latest sample: its timestamp in milliseconds and the raw bits of its value. */
    record Latest(long timestampMillis, long valueBits) {

        /** Whether {@code this} is at least as new as {@code other}. */
        boolean notOlderThan(Latest other) {
            return timestampMillis >= other.timestampMillis;
        }
    }

    private final Cache<SeriesKey, Latest> latest;

    SampleTracker(long maxSeries) {
        this.latest = Caffeine.newBuilder()
                .maximumSize(maxSeries)
                // maintenance on the calling thread instead of the common pool: cheap, and nothing runs behind
                .executor(Runnable::run)
                .build();
    }

    /** The latest stored sample of a series, or {@code null} when it is not (or no longer) tracked. */
    Latest latest(SeriesKey key) {
        return latest.getIfPresent(key);
    }

    /** Records the latest samples of a stored request, keeping whichever is newer where a series is known. */
    void advance(Map<SeriesKey, Latest> stored) {
        Map<SeriesKey, Latest> map = latest.asMap();
        for (Map.Entry<SeriesKey, Latest> entry : stored.entrySet()) {
            map.merge(entry.getKey(), entry.getValue(), (old, now) -> now.notOlderThan(old) ? now : old);
        }
    }

    /** Series tracked now (an estimate while eviction catches up). */
    long size() {
        return latest.estimatedSize();
    }
}
