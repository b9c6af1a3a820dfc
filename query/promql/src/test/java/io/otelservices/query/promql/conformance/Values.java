package io.otelservices.query.promql.conformance;

import io.otelservices.query.promql.conformance.ConformanceScript.Point;
import io.otelservices.query.promql.conformance.ConformanceScript.PointKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expanding value notation of conformance scripts: {@code 1 2 _ stale}, {@code a+bxN} (N + 1 points from a,
 * growing by b), {@code a-bxN}, {@code axN} (N + 1 times a), {@code _xN} (N missing points) and native histograms
 * {@code {{...}}} (kept as text, optionally with {@code +{{...}}xN} growth).
 */
final class Values {

    private static final String NUMBER = "[-+]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|0[xX][0-9a-fA-F]+|Inf|inf|NaN)";
    private static final Pattern NUMBER_ONLY = Pattern.compile(NUMBER);
    private static final Pattern SERIES = Pattern.compile("(" + NUMBER + ")([-+])(" + NUMBER + ")x(\\d+)");
    private static final Pattern REPEAT = Pattern.compile("(" + NUMBER + "|_|stale)x(\\d+)");

    private Values() {}

    static boolean isNumber(String text) {
        return NUMBER_ONLY.matcher(text).matches();
    }

    static double parseNumber(String text) {
        String t = text.startsWith("+") ? text.substring(1) : text;
        return switch (t) {
            case "Inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> t.startsWith("0x") || t.startsWith("0X") ? (double) Long.parseLong(t.substring(2), 16)
                    : t.startsWith("-0x") || t.startsWith("-0X") ? -(double) Long.parseLong(t.substring(3), 16)
                    : Double.parseDouble(t);
        };
    }

    /** The points of {@code text}, numbered from 0. */
    static List<Point> expand(String text) {
        List<Point> points = new ArrayList<>();
        int index = 0;
        for (String token : tokens(text)) {
            Matcher series = SERIES.matcher(token);
            Matcher repeat = REPEAT.matcher(token);
            if (token.startsWith("{{")) {
                int times = 0;
                int close = token.lastIndexOf("}}");
                Matcher growth = Pattern.compile("x(\\d+)$").matcher(token);
                if (close + 2 < token.length() && growth.find()) {
                    times = Integer.parseInt(growth.group(1));
                }
                for (int i = 0; i <= times; i++) {
                    points.add(new Point(index++, PointKind.HISTOGRAM, Double.NaN, token));
                }
            } else if (series.matches()) {
                double start = parseNumber(series.group(1));
                double step = parseNumber(series.group(3)) * (series.group(2).equals("-") ? -1 : 1);
                int times = Integer.parseInt(series.group(4));
                for (int i = 0; i <= times; i++) {
                    points.add(new Point(index++, PointKind.VALUE, start + step * i, null));
                }
            } else if (repeat.matches()) {
                int times = Integer.parseInt(repeat.group(2));
                String what = repeat.group(1);
                // "_xN" is N missing points; "axN" and "stalexN" are N + 1 points.
                int count = what.equals("_") ? times : times + 1;
                for (int i = 0; i < count; i++) {
                    points.add(single(index++, what));
                }
            } else {
                points.add(single(index++, token));
            }
        }
        return points;
    }

    private static Point single(int index, String token) {
        return switch (token) {
            case "_" -> new Point(index, PointKind.MISSING, Double.NaN, null);
            case "stale" -> new Point(index, PointKind.STALE, Double.NaN, null);
            default -> {
                if (!isNumber(token)) {
                    throw new IllegalArgumentException("not a value: " + token);
                }
                yield new Point(index, PointKind.VALUE, parseNumber(token), null);
            }
        };
    }

    /** Blank-separated tokens; a {@code {{...}}} histogram (which holds blanks) is one token. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            int start = i;
            int depth = 0;
            while (i < text.length() && (depth > 0 || !Character.isWhitespace(text.charAt(i)))) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
                i++;
            }
            tokens.add(text.substring(start, i));
        }
        return tokens;
    }
}
