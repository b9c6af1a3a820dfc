package io.otelservices.query.promql.conformance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus durations such as {@code 5m}, {@code 1h30m}, {@code 10s53ms} or a plain {@code 0}, in milliseconds. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");

    private Durations() {}

    static long parseMillis(String text) {
        if (text.equals("0")) {
            return 0;
        }
        boolean negative = text.startsWith("-");
        String rest = negative ? text.substring(1) : text;
        Matcher matcher = PART.matcher(rest);
        long millis = 0;
        int position = 0;
        while (position < rest.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            long amount = Long.parseLong(matcher.group(1));
            millis += amount * switch (matcher.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                case "y" -> 365 * 86_400_000L;
                default -> throw new IllegalStateException(matcher.group(2));
            };
            position = matcher.end();
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return negative ? -millis : millis;
    }
}
