package io.otelservices.query.promql.parser;

import io.otelservices.query.promql.QueryException;

/**
 * A query that does not parse or does not type-check. The message is Prometheus' form,
 * {@code 1:5: parse error: unexpected <op:+>}: line and column (1-based, the column counting characters) then
 * what is wrong.
 */
public final class ParseException extends QueryException {

    private final PositionRange position;
    private final String reason;

    ParseException(String query, PositionRange position, String reason) {
        super(Category.BAD_DATA, prefix(query, position.start()) + "parse error: " + reason);
        this.position = position;
        this.reason = reason;
    }

    /** Where in the query the error is. */
    public PositionRange position() {
        return position;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    private static String prefix(String query, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(offset, query.length()); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column + ": ";
    }
}
