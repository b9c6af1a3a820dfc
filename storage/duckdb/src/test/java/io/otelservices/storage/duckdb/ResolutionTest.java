package io.otelservices.storage.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.storage.TimeRange;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResolutionTest {

    private static final long DAY = TimeUnit.DAYS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private static TimeRange days(long days) {
        return new TimeRange(0, days * DAY);
    }

    @Test
    void seedTiers_rawUpTo30Days_fiveMinutesUpTo90_hourlyBeyond() {
        assertThat(Resolution.of(days(30), 0)).isEqualTo(Resolution.RAW);
        assertThat(Resolution.of(new TimeRange(0, 30 * DAY + 1), 0)).isEqualTo(Resolution.FIVE_MINUTES);
        assertThat(Resolution.of(days(90), 0)).isEqualTo(Resolution.FIVE_MINUTES);
        assertThat(Resolution.of(days(91), 0)).isEqualTo(Resolution.ONE_HOUR);
        assertThat(Resolution.of(days(365), 0)).isEqualTo(Resolution.ONE_HOUR);
    }

    @Test
    void aStepFinerThanTheWindow_fallsBackToAFinerTier() {
        assertThat(Resolution.of(days(365), 30 * MINUTE)).isEqualTo(Resolution.FIVE_MINUTES);
        assertThat(Resolution.of(days(365), MINUTE)).isEqualTo(Resolution.RAW);
        assertThat(Resolution.of(days(60), MINUTE)).isEqualTo(Resolution.RAW);
        assertThat(Resolution.of(days(60), 5 * MINUTE)).isEqualTo(Resolution.FIVE_MINUTES);
    }

    @Test
    void unboundedRanges_readRawRows() {
        assertThat(Resolution.of(TimeRange.ALL, 0)).isEqualTo(Resolution.RAW);
        assertThat(Resolution.of(new TimeRange(0, Long.MAX_VALUE), 0)).isEqualTo(Resolution.RAW);
    }
}
