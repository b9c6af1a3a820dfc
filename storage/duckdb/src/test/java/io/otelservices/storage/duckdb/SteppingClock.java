package io.otelservices.storage.duckdb;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves, in Unix epoch nanoseconds. */
final class SteppingClock extends Clock {
    private volatile Instant now;

    SteppingClock(long nanos) {
        set(nanos);
    }

    void set(long nanos) {
        now = Instant.ofEpochSecond(0, nanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
