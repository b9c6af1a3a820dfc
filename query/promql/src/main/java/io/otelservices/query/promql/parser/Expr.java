package io.otelservices.query.promql.parser;

import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.Strings;
import java.util.List;
import java.util.Objects;

/**
 * A parsed PromQL expression. {@link #toString()} prints it as Prometheus does (its {@code String()}), so that a
 * printed expression parses back to an equal one. Immutable.
 */
public sealed interface Expr permits Expr.NumberLiteral, Expr.StringLiteral, Expr.VectorSelector,
        Expr.MatrixSelector, Expr.SubqueryExpr, Expr.Call, Expr.AggregateExpr, Expr.BinaryExpr, Expr.UnaryExpr,
        Expr.ParenExpr {

    ValueType type();

    PositionRange position();

    /** {@code @ start()} or {@code @ end()}, or a fixed time. */
    enum AtModifier { NONE, START, END }

    record NumberLiteral(double value, PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }

        @Override
        public String toString() {
            return Numbers.format(value);
        }
    }

    record StringLiteral(String value, PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String toString() {
            return Strings.quote(value);
        }
    }

    /**
     * {@code name{matchers} offset d @ t}. {@code matchers} include the name matcher when a name was given.
     *
     * @param atMillis the fixed time of {@code @ t}, or {@code null}
     */
    record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, Long atMillis,
            AtModifier at, PositionRange position) implements Expr {
        public VectorSelector {
            matchers = List.copyOf(matchers);
            Objects.requireNonNull(at, "at");
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        VectorSelector withModifiers(long offsetMillis, Long atMillis, AtModifier at, PositionRange position) {
            return new VectorSelector(name, matchers, offsetMillis, atMillis, at, position);
        }

        @Override
        public String toString() {
            return selectorText() + modifiersText(offsetMillis, atMillis, at);
        }

        String selectorText() {
            StringBuilder text = new StringBuilder(name);
            StringBuilder inside = new StringBuilder();
            for (LabelMatcher matcher : matchers) {
                if (!name.isEmpty() && matcher.name().equals(Labels.METRIC_NAME)
                        && matcher.type() == LabelMatcher.Type.EQUAL && matcher.value().equals(name)) {
                    continue;
                }
                if (inside.length() > 0) {
                    inside.append(", ");
                }
                inside.append(matcher);
            }
            if (inside.length() > 0 || name.isEmpty()) {
                text.append('{').append(inside).append('}');
            }
            return text.toString();
        }
    }

    /** {@code selector[range]}; offset and {@code @} live on the selector. */
    record MatrixSelector(VectorSelector selector, long rangeMillis, PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }

        @Override
        public String toString() {
            return selector.selectorText() + "[" + Durations.format(rangeMillis) + "]"
                    + modifiersText(selector.offsetMillis(), selector.atMillis(), selector.at());
        }
    }

    /** {@code expr[range:step] offset d @ t}; {@code stepMillis} 0 means the default step. */
    record SubqueryExpr(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, Long atMillis, AtModifier at,
            PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }

        @Override
        public String toString() {
            return expr + "[" + Durations.format(rangeMillis) + ":"
                    + (stepMillis == 0 ? "" : Durations.format(stepMillis)) + "]"
                    + modifiersText(offsetMillis, atMillis, at);
        }
    }

    record Call(Function function, List<Expr> args, PositionRange position) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public ValueType type() {
            return function.returnType();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(function.name()).append('(');
            for (int i = 0; i < args.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(args.get(i));
            }
            return text.append(')').toString();
        }
    }

    /**
     * {@code op by (grouping) (param, expr)}.
     *
     * @param param the parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio; else {@code null}
     * @param without {@code without (...)} rather than {@code by (...)}
     */
    record AggregateExpr(AggregationOp op, Expr expr, Expr param, List<String> grouping, boolean without,
            PositionRange position) implements Expr {
        public AggregateExpr {
            grouping = List.copyOf(grouping);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(op.spelling());
            if (without) {
                text.append(" without (").append(String.join(", ", grouping)).append(") ");
            } else if (!grouping.isEmpty()) {
                text.append(" by (").append(String.join(", ", grouping)).append(") ");
            }
            text.append('(');
            if (param != null) {
                text.append(param).append(", ");
            }
            return text.append(expr).append(')').toString();
        }
    }

    /**
     * How a binary operation between two vectors pairs their samples.
     *
     * @param on {@code on(labels)} rather than {@code ignoring(labels)}
     * @param include the labels of {@code group_left(...)}/{@code group_right(...)}
     */
    record VectorMatching(Cardinality cardinality, List<String> labels, boolean on, List<String> include) {
        public static final VectorMatching ONE_TO_ONE =
                new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());

        public VectorMatching {
            labels = List.copyOf(labels);
            include = List.copyOf(include);
        }
    }

    enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    /** {@code lhs op bool on(...) group_left(...) rhs}; {@code matching} is null unless both sides are vectors. */
    record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
            PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
                    ? ValueType.SCALAR : ValueType.VECTOR;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(lhs).append(' ').append(op.spelling());
            if (returnBool) {
                text.append(" bool");
            }
            if (matching != null) {
                boolean grouped = matching.cardinality() == Cardinality.MANY_TO_ONE
                        || matching.cardinality() == Cardinality.ONE_TO_MANY;
                if (matching.on() || !matching.labels().isEmpty() || grouped) {
                    text.append(matching.on() ? " on (" : " ignoring (")
                            .append(String.join(", ", matching.labels())).append(')');
                }
                if (grouped) {
                    text.append(matching.cardinality() == Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (")
                            .append(String.join(", ", matching.include())).append(')');
                }
            }
            return text.append(' ').append(rhs).toString();
        }
    }

    /** {@code -expr} or {@code +expr}. */
    record UnaryExpr(boolean negate, Expr expr, PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }

        @Override
        public String toString() {
            return (negate ? "-" : "+") + expr;
        }
    }

    record ParenExpr(Expr expr, PositionRange position) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }

        @Override
        public String toString() {
            return "(" + expr + ")";
        }
    }

    private static String modifiersText(long offsetMillis, Long atMillis, AtModifier at) {
        StringBuilder text = new StringBuilder();
        if (atMillis != null) {
            text.append(" @ ").append(String.format(java.util.Locale.ROOT, "%.3f", atMillis / 1000.0));
        } else if (at == AtModifier.START) {
            text.append(" @ start()");
        } else if (at == AtModifier.END) {
            text.append(" @ end()");
        }
        if (offsetMillis > 0) {
            text.append(" offset ").append(Durations.format(offsetMillis));
        } else if (offsetMillis < 0) {
            text.append(" offset -").append(Durations.format(-offsetMillis));
        }
        return text.toString();
    }
}
