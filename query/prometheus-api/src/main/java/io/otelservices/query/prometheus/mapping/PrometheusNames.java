package io.otelservices.query.prometheus.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry to Prometheus naming rules: metric names with unit and type suffixes, and label names, as the
 * OpenTelemetry specification's "Prometheus and OpenMetrics Compatibility" (OTLP Metric points to Prometheus)
 * describes them and Prometheus' own OTLP translation applies them (its {@code otlptranslator}: the name is split
 * into words at every character outside {@code [a-zA-Z0-9:]}, unit words are appended unless present, then
 * {@code total} or {@code ratio}). Stateless and thread-safe.
 */
final class PrometheusNames {

    /** UCUM units and their Prometheus words; a unit not listed is kept as written (then sanitised). */
    private static final Map<String, String> UNIT_WORDS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
            Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
            Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"),
            Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""), Map.entry("%", "percent"));

    /** The denominators of {@code x/y} units, in the singular ({@code By/s} is {@code bytes_per_second}). */
    private static final Map<String, String> PER_UNIT_WORDS = Map.of(
            "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    /** How a metric's type changes its name. */
    enum Suffix {
        /** No type suffix. */
        NONE,
        /** A monotonic sum: {@code _total}. */
        TOTAL,
        /** A gauge: {@code _ratio} when its unit is {@code 1}. */
        GAUGE
    }

    private PrometheusNames() {}

    /**
     * The Prometheus name of an OpenTelemetry metric, or {@code ""} when nothing valid is left of it (such a metric
     * is not exposed).
     *
     * @param unit the UCUM unit, {@code ""} when none
     */
    static String metricName(String name, String unit, Suffix suffix) {
        List<String> words = words(name);
        String[] units = unitWords(unit);
        String main = units[0];
        String per = units[1];
        if (words.contains(main)) {
            main = "";
        }
        if (per.equals("per_")) {
            per = "";
        } else {
            per = trimTrailingUnderscore(per);
            if (words.contains(per)) {
                per = "";
            }
        }
        if (!per.isEmpty()) {
            main = trimTrailingUnderscore(main);
        }
        if (!main.isEmpty()) {
            words.add(main);
        }
        if (!per.isEmpty()) {
            words.add(per);
        }
        if (suffix == Suffix.TOTAL) {
            words.removeIf("total"::equals);
            words.add("total");
        } else if (suffix == Suffix.GAUGE && unit.equals("1")) {
            words.removeIf("ratio"::equals);
            words.add("ratio");
        }
        String joined = String.join("_", words);
        if (!joined.isEmpty() && isDigit(joined.charAt(0))) {
            joined = "_" + joined;
        }
        return isAllUnderscores(joined) ? "" : joined;
    }

    /**
     * The unit as Prometheus words ({@code s} is {@code seconds}, {@code By/s} is {@code bytes_per_second}, {@code 1}
     * and annotations such as {@code {request}} are {@code ""}): what {@code /api/v1/metadata} reports.
     */
    static String unitName(String unit) {
        String[] units = unitWords(unit);
        String main = units[0];
        String per = units[1];
        String joined = main.isEmpty() ? per : per.isEmpty() ? main : main + "_" + per;
        if (joined.startsWith("_")) {
            joined = joined.substring(1);
        }
        return trimTrailingUnderscore(joined);
    }

    /**
     * The Prometheus label name of an attribute key, or {@code ""} when nothing valid is left of it: every character
     * outside {@code [a-zA-Z0-9_]} becomes {@code _}; a name that starts with a digit gets the prefix {@code key_},
     * one that starts with a single {@code _} the prefix {@code key}. Runs of {@code _} are kept, as Prometheus'
     * translator keeps them (the specification asks for one; Prometheus' own names are what users compare with).
     */
    static String labelName(String key) {
        if (key.isEmpty()) {
            return "";
        }
        StringBuilder name = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            name.append(isLabelChar(c) ? c : '_');
        }
        if (isDigit(name.charAt(0))) {
            name.insert(0, "key_");
        } else if (name.charAt(0) == '_' && (name.length() < 2 || name.charAt(1) != '_')) {
            name.insert(0, "key");
        }
        String result = name.toString();
        return isAllUnderscores(result) ? "" : result;
    }

    /** Whether {@code name} is a valid label name in Prometheus' classic character set. */
    static boolean isValidLabelName(String name) {
        if (name.isEmpty() || isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLabelChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The main and the {@code per_} unit words of a unit, each already sanitised. */
    private static String[] unitWords(String unit) {
        int slash = unit.indexOf('/');
        String mainUnit = (slash < 0 ? unit : unit.substring(0, slash)).strip();
        String main = "";
        if (!mainUnit.isEmpty() && !hasBraces(mainUnit)) {
            main = UNIT_WORDS.getOrDefault(mainUnit, mainUnit);
        }
        String per = "";
        if (slash >= 0) {
            String perUnit = unit.substring(slash + 1).strip();
            if (!perUnit.isEmpty() && !hasBraces(perUnit)) {
                per = "per_" + PER_UNIT_WORDS.getOrDefault(perUnit, perUnit);
            }
        }
        return new String[] {cleanUnit(main), cleanUnit(per)};
    }

    /** Invalid characters become {@code _}, runs of {@code _} one, and a leading {@code _} goes. */
    private static String cleanUnit(String unit) {
        StringBuilder clean = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); i++) {
            char c = isMetricWordChar(unit.charAt(i)) ? unit.charAt(i) : '_';
            if (c == '_' && clean.length() > 0 && clean.charAt(clean.length() - 1) == '_') {
                continue;
            }
            clean.append(c);
        }
        return clean.length() > 0 && clean.charAt(0) == '_' ? clean.substring(1) : clean.toString();
    }

    /** The words of a metric name: the runs of {@code [a-zA-Z0-9:]}. */
    private static List<String> words(String name) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean word = i < name.length() && isMetricWordChar(name.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                words.add(name.substring(start, i));
                start = -1;
            }
        }
        return words;
    }

    private static String trimTrailingUnderscore(String text) {
        return text.endsWith("_") ? text.substring(0, text.length() - 1) : text;
    }

    private static boolean hasBraces(String unit) {
        return unit.indexOf('{') >= 0 || unit.indexOf('}') >= 0;
    }

    private static boolean isAllUnderscores(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isMetricWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == ':';
    }

    private static boolean isLabelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
