package io.otelservices.query.promql.parser;

/** Prometheus durations ({@code 1h30m}, {@code 2w}, {@code 100ms}), read and printed as its {@code model.Duration}. */
public final class Durations {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;
    private static final long YEAR = 365 * DAY;

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {YEAR, WEEK, DAY, HOUR, MINUTE, SECOND, 1};

    private Durations() {}

    /**
     * Milliseconds of a duration: units in descending order, each at most once, no sign.
     *
     * @throws IllegalArgumentException when {@code text} is not a duration
     */
    public static long parseMillis(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (text.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            long number = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String unit = text.substring(unitStart, i);
            int unitIndex = indexOf(unit);
            if (unitIndex < 0 || unitIndex <= lastUnit) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            lastUnit = unitIndex;
            total = Math.addExact(total, Math.multiplyExact(number, UNIT_MILLIS[unitIndex]));
        }
        return total;
    }

    /** {@code 1h30m}, {@code 0s}; negative durations are printed with a leading {@code -}. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long rest = millis;
        if (rest < 0) {
            text.append('-');
            rest = -rest;
        }
        for (int i = 0; i < UNITS.length; i++) {
            long count = rest / UNIT_MILLIS[i];
            if (count > 0) {
                text.append(count).append(UNITS[i]);
                rest -= count * UNIT_MILLIS[i];
            }
        }
        return text.toString();
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        return -1;
    }
}
