package io.otelservices.query.rest;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** RFC 3339 text to and from Unix epoch nanoseconds. */
final class Timestamps {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_HOUR = 3600 * NANOS_PER_SECOND;

    /** Always nine fraction digits and {@code Z}, so that output times sort as text and keep full precision. */
    private static final DateTimeFormatter OUTPUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** {@code epochNanos} as RFC 3339 in UTC with nanosecond precision, e.g. {@code 2024-05-01T12:00:00.000000001Z}. */
    static String format(long epochNanos) {
        return OUTPUT.format(Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND)));
    }

    /**
     * Unix epoch nanoseconds of an RFC 3339 time with an offset ({@code Z} or {@code ±hh:mm}) and up to nine
     * fraction digits; {@code t} and {@code z} may be lower-case.
     *
     * @throws IllegalArgumentException when {@code text} is not such a time or lies outside the years 1677..2262
     */
    static long parse(String text) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time", e);
        }
        return toNanos(time.toInstant());
    }

    static long now(Clock clock) {
        return toNanos(clock.instant());
    }

    private static long toNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("outside the years 1677..2262", e);
        }
    }

    /** A duration for messages, ISO 8601 without the {@code PT}, lower-case: {@code 1h30m}, {@code 0.5s}. */
    static String formatDuration(long nanos) {
        return java.time.Duration.ofNanos(nanos).toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
