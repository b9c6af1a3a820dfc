package io.otelservices.query.promql;

/**
 * Turns Prometheus' regular expressions (Go RE2 syntax) into {@link java.util.regex.Pattern} syntax. The two agree
 * on what PromQL queries use; the differences handled here: RE2's {@code (?P<name>...)} groups, and the anchoring
 * that Prometheus adds (the whole value must match, which {@code Matcher.matches()} already gives).
 */
final class RegexTranslation {

    private RegexTranslation() {}

    static String toJava(String re2) {
        if (re2.indexOf("(?P<") < 0) {
            return re2;
        }
        return re2.replace("(?P<", "(?<");
    }
}
