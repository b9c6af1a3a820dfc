package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.storage.LogCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go durations, RFC 3339 times, log cursors and the default metric step. */
class RequestValueParsingTest {

    @ParameterizedTest
    @CsvSource({"0,0", "1ns,1", "1.5us,1500", "2µs,2000", "300ms,300000000", "1.5s,1500000000",
            "2h45m,9900000000000", "-1m,-60000000000", "+5s,5000000000", ".5s,500000000", "1m0.5s,60500000000"})
    void goDuration_valid(String text, long nanos) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "1x", "1.2.3s", "-", "1h1", "3000000h", "..s"})
    void goDuration_invalid(String text) {
        assertThatThrownBy(() -> GoDuration.parseNanos(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "2024-05-01T12:00:00Z,1714564800000000000",
        "2024-05-01t12:00:00z,1714564800000000000",
        "2024-05-01T12:00:00.000000001Z,1714564800000000001",
        "2024-05-01T14:00:00.5+02:00,1714564800500000000",
        "1970-01-01T00:00:00Z,0",
        "1969-12-31T23:59:59.999999999Z,-1",
    })
    void timestamps_parse(String text, long nanos) {
        assertThat(Timestamps.parse(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01", "2024-05-01T12:00:00", "1714564800", "2300-01-01T00:00:00Z", ""})
    void timestamps_parseInvalid(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestamps_format_nineFractionDigits() {
        assertThat(Timestamps.format(1714564800000000001L)).isEqualTo("2024-05-01T12:00:00.000000001Z");
        assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(Timestamps.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }

    @Test
    void logCursor_roundTrip() {
        LogCursor cursor = new LogCursor(1714564800000000001L, 3);

        String text = LogCursorCodec.encode(cursor);

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(LogCursorCodec.decode("cursor", text)).isEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%%%", "MTox", "MTp4OjE", "MToxOi0x", "MToxOjE6MQ"})
    void logCursor_malformed_400(String text) {
        // "1:1", "1:x:1", "1:1:-1", "1:1:1:1"
        assertThatThrownBy(() -> LogCursorCodec.decode("cursor", text)).isInstanceOf(ApiException.class)
                .hasMessageContaining("is malformed");
    }

    @ParameterizedTest
    @CsvSource({"3600,30", "60,1", "0,1", "86400,720", "121,2", "7200.5,61"})
    void defaultStep_rangeOver120RoundedUpToSeconds(double rangeSeconds, long stepSeconds) {
        long rangeNanos = (long) (rangeSeconds * 1e9);

        assertThat(MetricQueryRequest.defaultStepNanos(rangeNanos)).isEqualTo(stepSeconds * 1_000_000_000L);
    }
}
