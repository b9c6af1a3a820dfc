package io.otelservices.query.promql.parser;

import java.util.Locale;

/** The aggregation operators; some take a parameter before the vector. */
public enum AggregationOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR,
    TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR),
    COUNT_VALUES(ValueType.STRING), LIMITK(ValueType.SCALAR), LIMIT_RATIO(ValueType.SCALAR);

    private final ValueType parameterType;

    AggregationOp() {
        this(null);
    }

    AggregationOp(ValueType parameterType) {
        this.parameterType = parameterType;
    }

    /** The type of the parameter, or {@code null} when the operator takes none. */
    public ValueType parameterType() {
        return parameterType;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operator spelled {@code word} (any case), or {@code null}. */
    static AggregationOp of(String word) {
        for (AggregationOp op : values()) {
            if (op.spelling().equalsIgnoreCase(word)) {
                return op;
            }
        }
        return null;
    }
}
