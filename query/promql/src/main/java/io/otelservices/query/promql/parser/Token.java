package io.otelservices.query.promql.parser;

/**
 * A lexical token of a query.
 *
 * @param text the token's text as written; for strings, the decoded value
 * @param start offset of the first character
 * @param end offset after the last character
 */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
        LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT,
        ASSIGN, EQL_REGEX, NEQ_REGEX,
        ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LSS, LTE, GTR, GTE,
        EOF
    }

    PositionRange position() {
        return new PositionRange(start, end);
    }

    /** How Prometheus names the token in "unexpected ..." messages. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case IDENTIFIER, METRIC_IDENTIFIER -> {
                if (Lexer.isKeyword(text)) {
                    yield "<" + text.toLowerCase(java.util.Locale.ROOT) + ">";
                }
                if (AggregationOp.of(text) != null) {
                    yield "<aggr:" + text + ">";
                }
                yield "identifier \"" + text + "\"";
            }
            case NUMBER -> "number \"" + text + "\"";
            case DURATION -> "duration \"" + text + "\"";
            case STRING -> "string";
            case LEFT_PAREN -> "(";
            case RIGHT_PAREN -> ")";
            case LEFT_BRACE -> "{";
            case RIGHT_BRACE -> "}";
            case LEFT_BRACKET -> "[";
            case RIGHT_BRACKET -> "]";
            case COMMA -> ",";
            case COLON -> "\":\"";
            case AT -> "<@>";
            case ASSIGN -> "=";
            default -> "<op:" + text + ">";
        };
    }
}
