package io.otelservices.query.rest;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Parses Go-style durations ({@code 300ms}, {@code 1.5h}, {@code 2h45m}): a sequence of decimal numbers, each
 * with a unit {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}, optionally signed;
 * a lone {@code 0} is zero.
 */
final class GoDuration {

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /**
     * The duration in nanoseconds, fractions of a nanosecond truncated.
     *
     * @throws IllegalArgumentException when {@code text} is not a Go duration or does not fit a {@code long}
     */
    static long parseNanos(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        int i = 0;
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            i++;
        }
        if (text.substring(i).equals("0")) {
            return 0;
        }
        if (i == text.length()) {
            throw new IllegalArgumentException("no number in duration");
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < text.length()) {
            int numberStart = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            String number = text.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("missing or malformed number at offset " + numberStart);
            }
            int unitStart = i;
            while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
                i++;
            }
            long unitNanos = unitNanos(text.substring(unitStart, i));
            if (unitNanos == 0) {
                throw new IllegalArgumentException("missing or unknown unit at offset " + unitStart);
            }
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigInteger nanos = total.toBigInteger();
        if (nanos.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration too large");
        }
        return negative ? -nanos.longValueExact() : nanos.longValueExact();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0L;
        };
    }
}
