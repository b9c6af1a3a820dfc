package io.otelservices.query.promql.parser;

/**
 * Where an expression is in the query text: 0-based character offsets, {@code start} inclusive, {@code end}
 * exclusive.
 */
public record PositionRange(int start, int end) {

    static PositionRange span(PositionRange first, PositionRange last) {
        return new PositionRange(first.start, last.end);
    }
}
