package io.otelservices.query.promql.parser;

/** The type of a PromQL expression, with the name Prometheus' messages use. */
public enum ValueType {
    SCALAR("scalar"), STRING("string"), VECTOR("instant vector"), MATRIX("range vector");

    private final String displayName;

    ValueType(String displayName) {
        this.displayName = displayName;
    }

    /** {@code "instant vector"}, as in "expected type instant vector in call to function". */
    public String displayName() {
        return displayName;
    }
}
