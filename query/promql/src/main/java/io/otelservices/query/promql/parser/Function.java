package io.otelservices.query.promql.parser;

import static io.otelservices.query.promql.parser.ValueType.MATRIX;
import static io.otelservices.query.promql.parser.ValueType.SCALAR;
import static io.otelservices.query.promql.parser.ValueType.STRING;
import static io.otelservices.query.promql.parser.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PromQL function's signature, as the parser checks calls against it.
 *
 * @param argTypes the arguments' types; with {@code variadic != 0} the last one may repeat or be left out
 * @param variadic 0: exactly {@code argTypes}; n &gt; 0: the last argument may be left out and the call may have at
 *     most {@code argTypes.size() - 1 + n} arguments; -1: the last argument may repeat any number of times
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {

    private static final Map<String, Function> FUNCTIONS = new HashMap<>();

    static {
        for (String name : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos",
                "cosh", "deg", "exp", "floor", "histogram_avg", "histogram_count", "histogram_stddev",
                "histogram_stdvar", "histogram_sum", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort",
                "sort_desc", "sqrt", "tan", "tanh", "timestamp")) {
            define(name, List.of(VECTOR), 0, VECTOR);
        }
        for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta",
                "deriv", "first_over_time", "idelta", "increase", "irate", "last_over_time", "mad_over_time",
                "max_over_time", "min_over_time", "present_over_time", "rate", "resets", "stddev_over_time",
                "stdvar_over_time", "sum_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
                "ts_of_max_over_time", "ts_of_min_over_time")) {
            define(name, List.of(MATRIX), 0, VECTOR);
        }
        for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            define(name, List.of(VECTOR), 1, VECTOR);
        }
        for (String name : List.of("pi", "time", "step", "range", "start", "end")) {
            define(name, List.of(), 0, SCALAR);
        }
        define("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
        define("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
        define("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
        define("double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        define("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
        define("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
        define("histogram_quantiles", List.of(VECTOR, STRING, SCALAR), -1, VECTOR);
        define("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
        define("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
        define("max_of", List.of(SCALAR, SCALAR), 0, SCALAR);
        define("min_of", List.of(SCALAR, SCALAR), 0, SCALAR);
        define("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
        define("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
        define("round", List.of(VECTOR, SCALAR), 1, VECTOR);
        define("scalar", List.of(VECTOR), 0, SCALAR);
        define("sort_by_label", List.of(VECTOR, STRING), -1, VECTOR);
        define("sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR);
        define("vector", List.of(SCALAR), 0, VECTOR);
    }

    private static void define(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
        FUNCTIONS.put(name, new Function(name, List.copyOf(argTypes), variadic, returnType));
    }

    /** The function called {@code name}, or {@code null}. */
    public static Function named(String name) {
        return FUNCTIONS.get(name);
    }

    /** The type argument {@code index} must have. */
    public ValueType argType(int index) {
        return argTypes.get(Math.min(index, argTypes.size() - 1));
    }
}
