package io.otelservices.query.promql.parser;

/** The binary operators with Prometheus' precedence (higher binds tighter); {@code ^} is right-associative. */
public enum BinaryOp {
    OR("or", 1), AND("and", 2), UNLESS("unless", 2),
    EQL("==", 3), NEQ("!=", 3), LTE("<=", 3), LSS("<", 3), GTE(">=", 3), GTR(">", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    POW("^", 6);

    private final String spelling;
    private final int precedence;

    BinaryOp(String spelling, int precedence) {
        this.spelling = spelling;
        this.precedence = precedence;
    }

    public String spelling() {
        return spelling;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    /** {@code and}, {@code or}, {@code unless}: they work on vectors only and always match many to many. */
    public boolean isSetOperator() {
        return this == OR || this == AND || this == UNLESS;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }
}
