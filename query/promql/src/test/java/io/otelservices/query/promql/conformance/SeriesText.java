package io.otelservices.query.promql.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A series as conformance scripts write it: {@code name}, {@code name{a="b", c="d"}} or {@code {__name__="x"}}. The
 * metric name becomes the label {@code __name__}; label values are double-quoted with Go string escapes.
 */
final class SeriesText {

    private SeriesText() {}

    /** Where the series text at the start of {@code line} ends: after its closing brace, else at the first blank. */
    static int end(String line) {
        int brace = -1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                brace = i;
            } else if (c == '}' && brace >= 0) {
                return i + 1;
            } else if (Character.isWhitespace(c) && brace < 0) {
                return i;
            }
        }
        return line.length();
    }

    /** The labels of {@code text}, sorted by name. */
    static Map<String, String> parse(String text) {
        Map<String, String> labels = new TreeMap<>();
        int brace = text.indexOf('{');
        String name = (brace < 0 ? text : text.substring(0, brace)).strip();
        if (!name.isEmpty()) {
            labels.put("__name__", name);
        }
        if (brace < 0) {
            return labels;
        }
        if (!text.endsWith("}")) {
            throw new IllegalArgumentException("unclosed labels: " + text);
        }
        String inside = text.substring(brace + 1, text.length() - 1);
        int i = 0;
        while (i < inside.length()) {
            while (i < inside.length() && (Character.isWhitespace(inside.charAt(i)) || inside.charAt(i) == ',')) {
                i++;
            }
            if (i >= inside.length()) {
                break;
            }
            int equals = inside.indexOf('=', i);
            if (equals < 0) {
                throw new IllegalArgumentException("label without a value: " + text);
            }
            String label = inside.substring(i, equals).strip();
            int open = inside.indexOf('"', equals);
            int close = closingQuote(inside, open);
            labels.put(label, unquote(inside.substring(open, close + 1)));
            i = close + 1;
        }
        return labels;
    }

    /** The value of a Go string literal: double- or single-quoted with escapes, or a raw {@code `...`} string. */
    static String unquote(String quoted) {
        char quote = quoted.isEmpty() ? 0 : quoted.charAt(0);
        if (quoted.length() < 2 || (quote != '"' && quote != '\'' && quote != '`')
                || quoted.charAt(quoted.length() - 1) != quote) {
            throw new IllegalArgumentException("not a quoted string: " + quoted);
        }
        if (quote == '`') {
            return quoted.substring(1, quoted.length() - 1);
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = quoted.charAt(++i);
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case '\\', '"', '\'' -> value.append(escaped);
                case 'u' -> {
                    value.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + escaped + " in " + quoted);
            }
        }
        return value.toString();
    }

    private static int closingQuote(String text, int open) {
        if (open < 0) {
            throw new IllegalArgumentException("label value not quoted: " + text);
        }
        for (int i = open + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '"') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed quote: " + text);
    }

    /** For messages: the labels in Prometheus' text form. */
    static String format(Map<String, String> labels) {
        Map<String, String> rest = new LinkedHashMap<>(labels);
        String name = rest.remove("__name__");
        StringBuilder text = new StringBuilder(name == null ? "" : name).append('{');
        rest.forEach((k, v) -> text.append(text.charAt(text.length() - 1) == '{' ? "" : ", ").append(k)
                .append("=\"").append(v).append('"'));
        return text.append('}').toString();
    }
}
