package io.otelservices.storage.duckdb;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves, in Unix epoch nanoseconds. */
final class SteppingClock extends Clock {
    private volatile Instant now;

    SteppingClock(long nanos) {
        set(nanos);
    }

    /** The storage settings under {@code dataDirectory} with blocks aging by this clock, maintenance only on demand. */
    DuckDbConfig config(Path dataDirectory) {
        return DuckDbConfig.of(dataDirectory).withBlocks(BlockPolicy.DEFAULT.withClock(this)
                .withMaintenanceInterval(Duration.ZERO));
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
