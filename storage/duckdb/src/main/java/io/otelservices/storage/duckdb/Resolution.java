package io.otelservices.storage.duckdb;

import io.otelservices.storage.TimeRange;
import java.util.concurrent.TimeUnit;

/**
 * Which data answers a query over a time range (the seed's tiers): raw rows up to 30 days, 5-minute rollups up to
 * 90 days, hourly rollups beyond, as long as the caller's step is not finer than the rollup's window.
 */
enum Resolution {
    RAW(0),
    FIVE_MINUTES(Rollups.FIVE_MINUTES),
    ONE_HOUR(Rollups.HOUR);

    static final long RAW_UP_TO = TimeUnit.DAYS.toNanos(30);
    static final long FIVE_MINUTES_UP_TO = TimeUnit.DAYS.toNanos(90);

    private final long windowNanos;

    Resolution(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    long windowNanos() {
        return windowNanos;
    }

    /**
     * The resolution for {@code range} aggregated into steps of {@code stepNanos} (0: no step). An unbounded range
     * (such as {@link TimeRange#ALL}) reads raw rows: it asks for everything there is, not for a time span.
     */
    static Resolution of(TimeRange range, long stepNanos) {
        if (range.startNanos() == Long.MIN_VALUE || range.endNanos() == Long.MAX_VALUE) {
            return RAW;
        }
        long length = range.endNanos() - range.startNanos();
        if (length < 0 || length <= RAW_UP_TO) {
            return RAW;
        }
        Resolution wanted = length <= FIVE_MINUTES_UP_TO ? FIVE_MINUTES : ONE_HOUR;
        if (wanted == ONE_HOUR && (stepNanos == 0 || stepNanos >= ONE_HOUR.windowNanos)) {
            return ONE_HOUR;
        }
        return stepNanos == 0 || stepNanos >= FIVE_MINUTES.windowNanos ? FIVE_MINUTES : RAW;
    }
}
