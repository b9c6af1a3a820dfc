package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prometheus' time and duration parameters (its {@code parseTime} and {@code parseDuration}). */
class RequestParamsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "12, 12000",
        "1435781451.781, 1435781451781",
        "1435781451.7815, 1435781451782",
        "0.0005, 1",
        "-1.5, -1500",
        "1e3, 1000000",
        "1_0, 10000",
        ".5, 500",
        "2015-07-01T20:10:51.781Z, 1435781451781",
        "2015-07-01T20:10:51Z, 1435781451000",
        "2015-07-01T20:10:51.781+02:00, 1435774251781",
        "2015-07-01T20:10:51.123456789Z, 1435781451123",
        "-292273086-05-16T16:47:06Z, -9223309901257974000",
        "292277025-08-18T07:12:54.999999999Z, 9223309901257974999",
    })
    void parseTime_unixSecondsOrRfc3339_milliseconds(String text, long millis) {
        assertThat(RequestParams.parseTime(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"x", "''", "2015-07-01", "2015-07-01T20:10Z", "2015-13-01T20:10:51Z", "0x10", "NaN", "Inf", "1e400",
            "' 1'", "1d", "1.5.5"})
    void parseTime_notATime_prometheusMessage(String text) {
        assertThatThrownBy(() -> RequestParams.parseTime(text))
                .hasMessage("cannot parse \"" + text + "\" to a valid timestamp");
    }

    @ParameterizedTest
    @CsvSource({
        "15, 15000",
        "1.5, 1500",
        "0.0001, 0",
        "15s, 15000",
        "1m30s, 90000",
        "2h, 7200000",
        "1d, 86400000",
        "1w, 604800000",
        "1y, 31536000000",
        "100ms, 100",
        "0, 0",
    })
    void parseDurationMillis_floatSecondsOrDuration_milliseconds(String text, long millis) {
        assertThat(RequestParams.parseDurationMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"x", "''", "-1s", "1.5m", "1m1h", "1e400", "NaN"})
    void parseDurationMillis_notADuration_prometheusMessage(String text) {
        assertThatThrownBy(() -> RequestParams.parseDurationMillis(text))
                .hasMessage("cannot parse \"" + text + "\" to a valid duration");
    }

    @Test
    void parseDurationMillis_beyondInt64Nanoseconds_overflowMessage() {
        assertThatThrownBy(() -> RequestParams.parseDurationMillis("1e10"))
                .hasMessage("cannot parse \"1e10\" to a valid duration. It overflows int64");
    }
}
