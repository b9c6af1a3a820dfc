package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Scalars;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.RangeFunctions.Window;
import io.otelservices.query.promql.parser.Expr;
import io.otelservices.query.promql.parser.Expr.Call;
import io.otelservices.query.promql.parser.Expr.MatrixSelector;
import io.otelservices.query.promql.parser.Expr.SubqueryExpr;
import io.otelservices.query.promql.parser.Expr.VectorSelector;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.query.promql.parser.ValueType;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Every PromQL function: dispatch by name to the range-vector functions and the per-sample and vector ones. */
final class Functions {

    /** Range-vector functions whose output keeps the metric name. */
    private static final Set<String> KEEP_NAME = Set.of("last_over_time", "first_over_time");

    private Functions() {}

    static Evaluated call(Evaluation evaluation, Call call) {
        String name = call.function().name();
        List<Expr> args = call.args();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).type() == ValueType.MATRIX) {
                return rangeFunction(evaluation, call, i);
            }
        }
        Evaluation.QueryContext context = evaluation.context;
        switch (name) {
            case "time":
                return scalars(evaluation, i -> evaluation.stepTimes[i] / 1000.0);
            case "pi":
                return evaluation.constant(Math.PI);
            case "step":
                return evaluation.constant(context.queryStepMillis / 1000.0);
            case "range":
                return evaluation.constant((context.queryEndMillis - context.queryStartMillis) / 1000.0);
            case "start":
                return evaluation.constant(context.queryStartMillis / 1000.0);
            case "end":
                return evaluation.constant(context.queryEndMillis / 1000.0);
            case "min_of", "max_of": {
                double[] a = ((Scalars) evaluation.eval(args.get(0))).values();
                double[] b = ((Scalars) evaluation.eval(args.get(1))).values();
                boolean min = name.equals("min_of");
                return scalars(evaluation, i -> Double.isNaN(a[i]) || Double.isNaN(b[i]) ? Double.NaN
                        : min ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]));
            }
            case "vector": {
                double[] values = ((Scalars) evaluation.eval(args.get(0))).values();
                StepSeries series = new StepSeries(Labels.EMPTY, evaluation.stepCount);
                for (int i = 0; i < evaluation.stepCount; i++) {
                    series.add(i, values[i]);
                }
                return new Vectors(List.of(series));
            }
            case "scalar":
                return scalar(evaluation, vectors(evaluation, args.get(0)));
            case "absent":
                return absent(evaluation, vectors(evaluation, args.get(0)), args.get(0));
            case "timestamp":
                return timestamp(evaluation, args.get(0));
            case "label_replace":
                return LabelFunctions.labelReplace(evaluation, call);
            case "label_join":
                return LabelFunctions.labelJoin(evaluation, call);
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc":
                return LabelFunctions.sort(evaluation, call);
            case "histogram_quantile", "histogram_quantiles", "histogram_fraction":
                return ClassicHistograms.evaluate(evaluation, call);
            case "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar":
                // Native histograms only: float samples give nothing.
                vectors(evaluation, args.get(0));
                return new Vectors(List.of());
            case "clamp":
                return clamp(evaluation, args, true, true);
            case "clamp_min":
                return clamp(evaluation, args, true, false);
            case "clamp_max":
                return clamp(evaluation, args, false, true);
            case "round": {
                List<StepSeries> input = vectors(evaluation, args.get(0));
                double[] toNearest = args.size() > 1 ? ((Scalars) evaluation.eval(args.get(1))).values()
                        : evaluation.constant(1).values();
                return perSample(evaluation, input, (step, value) -> {
                    double inverse = 1.0 / toNearest[step];
                    return Math.floor(value * inverse + 0.5) / inverse;
                });
            }
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
                return dateFunction(evaluation, name, args);
            default:
                DoubleUnaryOperator math = mathFunction(name);
                if (math == null) {
                    throw new QueryException(QueryException.Category.BAD_DATA, "function \"" + name
                            + "\" is not supported");
                }
                return perSample(evaluation, vectors(evaluation, args.get(0)), (step, value) -> math.applyAsDouble(value));
        }
    }

    private static DoubleUnaryOperator mathFunction(String name) {
        return switch (name) {
            case "abs" -> Math::abs;
            case "ceil" -> Math::ceil;
            case "floor" -> Math::floor;
            case "exp" -> Math::exp;
            case "sqrt" -> Math::sqrt;
            case "ln" -> Math::log;
            case "log2" -> v -> Math.log(v) / Math.log(2);
            case "log10" -> Math::log10;
            case "sgn" -> v -> Double.isNaN(v) ? v : Math.signum(v);
            case "deg" -> v -> v * 180 / Math.PI;
            case "rad" -> v -> v * Math.PI / 180;
            case "sin" -> Math::sin;
            case "cos" -> Math::cos;
            case "tan" -> Math::tan;
            case "asin" -> Math::asin;
            case "acos" -> Math::acos;
            case "atan" -> Math::atan;
            case "sinh" -> Math::sinh;
            case "cosh" -> Math::cosh;
            case "tanh" -> Math::tanh;
            case "asinh" -> v -> Double.isInfinite(v) ? v : Math.log(v + Math.sqrt(v * v + 1));
            case "acosh" -> v -> Math.log(v + Math.sqrt(v * v - 1));
            case "atanh" -> v -> 0.5 * Math.log((1 + v) / (1 - v));
            default -> null;
        };
    }

    static List<StepSeries> vectors(Evaluation evaluation, Expr expr) {
        return ((Vectors) evaluation.eval(expr)).series();
    }

    interface StepValue {
        double apply(int step);
    }

    interface SampleFunction {
        double apply(int step, double value);
    }

    private static Scalars scalars(Evaluation evaluation, StepValue value) {
        double[] values = new double[evaluation.stepCount];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(i);
        }
        return new Scalars(values);
    }

    /** Applies {@code function} to every sample; the metric name is dropped. */
    static Vectors perSample(Evaluation evaluation, List<StepSeries> input, SampleFunction function) {
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (StepSeries series : input) {
            Labels labels = series.labels.withoutMetricName();
            SeriesCollector.Entry entry = collector.entry(labels);
            for (int i = 0; i < series.size; i++) {
                collector.add(entry, series.steps[i], function.apply(series.steps[i], series.values[i]));
            }
        }
        return new Vectors(collector.series());
    }

    private static Scalars scalar(Evaluation evaluation, List<StepSeries> input) {
        double[] values = new double[evaluation.stepCount];
        int[] counts = new int[evaluation.stepCount];
        for (StepSeries series : input) {
            for (int i = 0; i < series.size; i++) {
                counts[series.steps[i]]++;
                values[series.steps[i]] = series.values[i];
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (counts[i] != 1) {
                values[i] = Double.NaN;
            }
        }
        return new Scalars(values);
    }

    private static Vectors absent(Evaluation evaluation, List<StepSeries> input, Expr arg) {
        boolean[] present = new boolean[evaluation.stepCount];
        for (StepSeries series : input) {
            for (int i = 0; i < series.size; i++) {
                present[series.steps[i]] = true;
            }
        }
        StepSeries out = new StepSeries(absentLabels(arg), evaluation.stepCount);
        for (int i = 0; i < present.length; i++) {
            if (!present[i]) {
                out.add(i, 1);
            }
        }
        return new Vectors(out.size == 0 ? List.of() : List.of(out));
    }

    /** The labels of {@code absent()}'s output: the selector's equality matchers, those given twice left out. */
    private static Labels absentLabels(Expr arg) {
        Expr inner = Evaluation.unwrapParens(arg);
        VectorSelector selector = null;
        if (inner instanceof VectorSelector vector) {
            selector = vector;
        } else if (inner instanceof MatrixSelector matrix) {
            selector = matrix.selector();
        }
        if (selector == null) {
            return Labels.EMPTY;
        }
        // As Prometheus: the first equality matcher of a label sets it; any other matcher of that label removes it.
        Labels.Builder builder = Labels.newBuilder();
        java.util.Set<String> set = new java.util.HashSet<>();
        for (LabelMatcher matcher : selector.matchers()) {
            if (matcher.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (matcher.type() == LabelMatcher.Type.EQUAL && set.add(matcher.name())) {
                builder.set(matcher.name(), matcher.value());
            } else {
                builder.remove(matcher.name());
            }
        }
        return builder.build();
    }

    private static Vectors timestamp(Evaluation evaluation, Expr arg) {
        Expr inner = Evaluation.unwrapParens(arg);
        if (inner instanceof VectorSelector selector) {
            return perSample(evaluation, evaluation.selectVector(selector, true), (step, value) -> value);
        }
        return perSample(evaluation, vectors(evaluation, arg), (step, value) -> evaluation.stepTimes[step] / 1000.0);
    }

    private static Vectors clamp(Evaluation evaluation, List<Expr> args, boolean hasMin, boolean hasMax) {
        List<StepSeries> input = vectors(evaluation, args.get(0));
        double[] min = hasMin ? ((Scalars) evaluation.eval(args.get(1))).values() : null;
        double[] max = hasMax ? ((Scalars) evaluation.eval(args.get(hasMin ? 2 : 1))).values() : null;
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (StepSeries series : input) {
            Labels labels = series.labels.withoutMetricName();
            SeriesCollector.Entry entry = collector.entry(labels);
            for (int i = 0; i < series.size; i++) {
                int step = series.steps[i];
                double value = series.values[i];
                if (hasMin && hasMax && max[step] < min[step]) {
                    continue;
                }
                if (hasMax) {
                    value = Math.min(max[step], value);
                }
                if (hasMin) {
                    value = Math.max(min[step], value);
                }
                collector.add(entry, step, Double.isNaN(series.values[i]) ? Double.NaN : value);
            }
        }
        return new Vectors(collector.series());
    }

    private static Vectors dateFunction(Evaluation evaluation, String name, List<Expr> args) {
        List<StepSeries> input;
        if (args.isEmpty()) {
            StepSeries now = new StepSeries(Labels.EMPTY, evaluation.stepCount);
            for (int i = 0; i < evaluation.stepCount; i++) {
                now.add(i, evaluation.stepTimes[i] / 1000.0);
            }
            input = List.of(now);
        } else {
            input = vectors(evaluation, args.get(0));
        }
        return perSample(evaluation, input, (step, value) -> {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return Double.NaN;
            }
            ZonedDateTime time = Instant.ofEpochSecond((long) value).atZone(ZoneOffset.UTC);
            return switch (name) {
                case "day_of_month" -> time.getDayOfMonth();
                case "day_of_week" -> time.getDayOfWeek().getValue() % 7;
                case "day_of_year" -> time.getDayOfYear();
                case "days_in_month" -> YearMonth.from(time).lengthOfMonth();
                case "hour" -> time.getHour();
                case "minute" -> time.getMinute();
                case "month" -> time.getMonthValue();
                case "year" -> time.getYear();
                default -> throw new IllegalStateException("not a date function: " + name);
            };
        });
    }

    // ---- range-vector functions ----------------------------------------------------------------------------------

    private static Evaluated rangeFunction(Evaluation evaluation, Call call, int matrixIndex) {
        String name = call.function().name();
        List<Expr> args = call.args();
        double[][] scalarArgs = new double[args.size()][];
        for (int i = 0; i < args.size(); i++) {
            if (i != matrixIndex) {
                scalarArgs[i] = ((Scalars) evaluation.eval(args.get(i))).values();
            }
        }
        Evaluation.RangeInput input = evaluation.rangeInput(args.get(matrixIndex));
        if (name.equals("rate") || name.equals("increase") || name.equals("irate")) {
            checkCounterNames(evaluation, input, call);
        }
        if (name.equals("quantile_over_time")) {
            for (double q : scalarArgs[0]) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    evaluation.context.annotations.warn("quantile value should be between 0 and 1, got "
                            + Numbers.format(q), args.get(0).position());
                    break;
                }
            }
        }
        if (name.equals("double_exponential_smoothing")) {
            checkSmoothingFactors(scalarArgs[1], scalarArgs[2]);
        }
        boolean absentOverTime = name.equals("absent_over_time");
        boolean[] anyAtStep = absentOverTime ? new boolean[evaluation.stepCount] : null;
        boolean keepName = KEEP_NAME.contains(name);
        RangeFunctions.WindowFunction function = absentOverTime ? null : windowFunction(name, scalarArgs);
        Window window = new Window();
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        long[] ends = input.windowEnds();
        for (Series series : input.series()) {
            evaluation.context.checkDeadline();
            Labels labels = keepName ? series.labels() : series.labels().withoutMetricName();
            SeriesCollector.Entry entry = collector.entry(labels);
            long[] times = series.timestampsArray();
            double[] values = series.valuesArray();
            int size = series.size();
            int from = 0;
            int to = 0;
            for (int step = 0; step < evaluation.stepCount; step++) {
                long end = ends[step];
                long start = end - input.rangeMillis();
                if (step > 0 && end < ends[step - 1]) {
                    from = 0;
                    to = 0;
                }
                while (to < size && times[to] <= end) {
                    to++;
                }
                while (from < to && times[from] <= start) {
                    from++;
                }
                if (to == from) {
                    continue;
                }
                if (absentOverTime) {
                    anyAtStep[step] = true;
                    continue;
                }
                window.set(times, values, from, to, start, end, input.rangeMillis(), evaluation.stepTimes[step]);
                double value = function.apply(window, step);
                if (!RangeFunctions.isAbsent(value)) {
                    collector.add(entry, step, value);
                }
            }
        }
        if (absentOverTime) {
            StepSeries out = new StepSeries(absentLabels(args.get(matrixIndex)), evaluation.stepCount);
            for (int i = 0; i < anyAtStep.length; i++) {
                if (!anyAtStep[i]) {
                    out.add(i, 1);
                }
            }
            return new Vectors(out.size == 0 ? List.of() : List.of(out));
        }
        return new Vectors(collector.series());
    }

    /** The function {@code name} computes on each window, chosen once per call. */
    private static RangeFunctions.WindowFunction windowFunction(String name, double[][] scalarArgs) {
        return switch (name) {
            case "rate" -> (w, step) -> RangeFunctions.extrapolatedRate(w, true, true);
            case "increase" -> (w, step) -> RangeFunctions.extrapolatedRate(w, true, false);
            case "delta" -> (w, step) -> RangeFunctions.extrapolatedRate(w, false, false);
            case "irate" -> (w, step) -> RangeFunctions.instantRate(w, true);
            case "idelta" -> (w, step) -> RangeFunctions.instantRate(w, false);
            case "changes" -> (w, step) -> RangeFunctions.changes(w);
            case "resets" -> (w, step) -> RangeFunctions.resets(w);
            case "deriv" -> (w, step) -> RangeFunctions.deriv(w);
            case "predict_linear" -> (w, step) -> RangeFunctions.predictLinear(w, scalarArgs[1][step]);
            case "avg_over_time" -> (w, step) -> RangeFunctions.avgOverTime(w);
            case "sum_over_time" -> (w, step) -> RangeFunctions.sumOverTime(w);
            case "count_over_time" -> (w, step) -> w.count();
            case "min_over_time" -> (w, step) -> RangeFunctions.minOverTime(w);
            case "max_over_time" -> (w, step) -> RangeFunctions.maxOverTime(w);
            case "last_over_time" -> (w, step) -> w.values()[w.to() - 1];
            case "first_over_time" -> (w, step) -> w.values()[w.from()];
            case "ts_of_last_over_time" -> (w, step) -> w.times()[w.to() - 1] / 1000.0;
            case "ts_of_first_over_time" -> (w, step) -> w.times()[w.from()] / 1000.0;
            case "ts_of_max_over_time" -> (w, step) -> RangeFunctions.timeOfExtreme(w, true);
            case "ts_of_min_over_time" -> (w, step) -> RangeFunctions.timeOfExtreme(w, false);
            case "present_over_time" -> (w, step) -> 1;
            case "stddev_over_time" -> (w, step) -> Math.sqrt(RangeFunctions.varianceOverTime(w));
            case "stdvar_over_time" -> (w, step) -> RangeFunctions.varianceOverTime(w);
            case "quantile_over_time" -> (w, step) -> RangeFunctions.quantileOverTime(scalarArgs[0][step], w);
            case "mad_over_time" -> (w, step) -> RangeFunctions.madOverTime(w);
            case "double_exponential_smoothing" -> (w, step) ->
                    RangeFunctions.doubleExponentialSmoothing(w, scalarArgs[1][step], scalarArgs[2][step]);
            default -> throw new QueryException(QueryException.Category.BAD_DATA,
                    "function \"" + name + "\" is not supported");
        };
    }

    private static void checkSmoothingFactors(double[] smoothing, double[] trend) {
        for (int i = 0; i < smoothing.length; i++) {
            if (smoothing[i] <= 0 || smoothing[i] >= 1) {
                throw new QueryException(QueryException.Category.EXECUTION,
                        "invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFloat(smoothing[i]));
            }
            if (trend[i] <= 0 || trend[i] >= 1) {
                throw new QueryException(QueryException.Category.EXECUTION,
                        "invalid trend factor. Expected: 0 < tf < 1, got: " + goFloat(trend[i]));
            }
        }
    }

    /** Go's {@code %f}. */
    private static String goFloat(double value) {
        return String.format(java.util.Locale.ROOT, "%f", value);
    }

    /** rate() and increase() of a metric whose name says it is no counter get Prometheus' info. */
    private static void checkCounterNames(Evaluation evaluation, Evaluation.RangeInput input, Call call) {
        List<String> reported = new ArrayList<>();
        for (Series series : input.series()) {
            String metric = series.labels().metricName();
            if (metric.isEmpty() || reported.contains(metric)) {
                continue;
            }
            if (!(metric.endsWith("_total") || metric.endsWith("_sum") || metric.endsWith("_count")
                    || metric.endsWith("_bucket"))) {
                reported.add(metric);
                evaluation.context.annotations.info("metric might not be a counter, name does not end in "
                        + "_total/_sum/_count/_bucket: " + Strings.quote(metric), call.args().get(0).position());
            }
        }
    }
}
