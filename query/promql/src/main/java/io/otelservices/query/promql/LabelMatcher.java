package io.otelservices.query.promql;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher of a selector: {@code name="v"}, {@code !=}, {@code =~} or {@code !~}. Regular expressions are
 * anchored at both ends and {@code .} matches newlines too, as in Prometheus. A missing label matches as {@code ""}.
 * Immutable and thread-safe.
 */
public final class LabelMatcher {

    /** The four matcher operators, with their PromQL spelling. */
    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String operator;

        Type(String operator) {
            this.operator = operator;
        }

        public String operator() {
            return operator;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(Type type, String name, String value, Pattern pattern) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.pattern = pattern;
    }

    /** @throws PatternSyntaxException when a regex matcher's value is not a valid regular expression */
    public static LabelMatcher of(Type type, String name, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Pattern pattern = type == Type.REGEX || type == Type.NOT_REGEX
                ? Pattern.compile(RegexTranslation.toJava(value), Pattern.DOTALL) : null;
        return new LabelMatcher(type, name, value, pattern);
    }

    public static LabelMatcher equal(String name, String value) {
        return of(Type.EQUAL, name, value);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Whether a label value ({@code ""} when the label is missing) satisfies this matcher. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    /** Whether the matcher accepts a missing label, so that it cannot on its own select series. */
    public boolean matchesEmpty() {
        return matches("");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelMatcher matcher && type == matcher.type && name.equals(matcher.name)
                && value.equals(matcher.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    @Override
    public String toString() {
        return name + type.operator + Strings.quote(value);
    }
}
