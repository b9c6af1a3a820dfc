package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Scalars;
import io.otelservices.query.promql.Evaluated.Text;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.parser.AggregationOp;
import io.otelservices.query.promql.parser.Expr.AggregateExpr;
import io.otelservices.query.promql.parser.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The aggregation operators, step by step over groups of series. */
final class Aggregations {

    /**
     * Up to this many group × step cells, the simple aggregations walk the input series by series, each sample
     * straight into its group's cell: several times faster than gathering each step's samples.
     */
    private static final long SERIES_MAJOR_CELLS = 4_000_000;

    private Aggregations() {}

    /** sum, avg, count, min, max, group, stddev, stdvar: series by series into per group and step accumulators. */
    private static Evaluated simpleSeriesMajor(Evaluation evaluation, AggregationOp op, List<StepSeries> input,
            Labels[] groupLabels, int[] groupOf) {
        int steps = evaluation.stepCount;
        int cells = groupLabels.length * steps;
        double[] value = new double[cells];
        double[] compensation = op == AggregationOp.SUM || op == AggregationOp.AVG ? new double[cells] : null;
        double[] squares = op == AggregationOp.STDDEV || op == AggregationOp.STDVAR ? new double[cells] : null;
        long[] count = new long[cells];
        boolean[] infinite = op == AggregationOp.AVG ? new boolean[cells] : null;
        for (int s = 0; s < input.size(); s++) {
            StepSeries series = input.get(s);
            int base = groupOf[s] * steps;
            for (int i = 0; i < series.size; i++) {
                int cell = base + series.steps[i];
                double sample = series.values[i];
                long n = ++count[cell];
                if (infinite != null && Double.isInfinite(sample)) {
                    infinite[cell] = true;
                }
                if (n == 1) {
                    value[cell] = sample;
                    if (squares != null) {
                        squares[cell] = sample - sample;
                    }
                    continue;
                }
                switch (op) {
                    case SUM, AVG -> {
                        double[] kahan = RangeFunctions.kahanAdd(sample, value[cell], compensation[cell]);
                        value[cell] = kahan[0];
                        compensation[cell] = kahan[1];
                    }
                    case MIN -> {
                        if (value[cell] > sample || Double.isNaN(value[cell])) {
                            value[cell] = sample;
                        }
                    }
                    case MAX -> {
                        if (value[cell] < sample || Double.isNaN(value[cell])) {
                            value[cell] = sample;
                        }
                    }
                    case STDDEV, STDVAR -> {
                        // value holds the running mean (Welford).
                        double delta = sample - value[cell];
                        value[cell] += delta / n;
                        squares[cell] += delta * (sample - value[cell]);
                    }
                    default -> { }
                }
            }
        }
        boolean needsIncrementalMean = false;
        List<StepSeries> output = new java.util.ArrayList<>(groupLabels.length);
        for (int group = 0; group < groupLabels.length; group++) {
            StepSeries series = null;
            for (int step = 0; step < steps; step++) {
                int cell = group * steps + step;
                long n = count[cell];
                if (n == 0) {
                    continue;
                }
                double result = switch (op) {
                    case SUM -> Double.isInfinite(value[cell]) ? value[cell] : value[cell] + compensation[cell];
                    case AVG -> Double.isInfinite(value[cell]) ? (infinite[cell] ? value[cell] / n : Double.NaN)
                            : (value[cell] + compensation[cell]) / n;
                    case COUNT -> n;
                    case GROUP -> 1;
                    case MIN, MAX -> value[cell];
                    case STDVAR -> squares[cell] / n;
                    case STDDEV -> Math.sqrt(squares[cell] / n);
                    default -> throw new IllegalStateException("not a simple aggregation: " + op);
                };
                if (op == AggregationOp.AVG && Double.isInfinite(value[cell]) && !infinite[cell]) {
                    needsIncrementalMean = true;
                }
                if (series == null) {
                    series = new StepSeries(groupLabels[group], Math.min(steps, 64));
                }
                series.add(step, result);
            }
            if (series != null) {
                output.add(series);
            }
        }
        if (needsIncrementalMean) {
            // A sum overflowed from finite samples: redo avg step by step, where the incremental mean is computed.
            return null;
        }
        evaluation.context.hold(output.stream().mapToLong(series -> series.size).sum());
        return new Vectors(output);
    }

    static Evaluated aggregate(Evaluation evaluation, AggregateExpr aggregate) {
        AggregationOp op = aggregate.op();
        double[] params = null;
        String labelParam = null;
        if (aggregate.param() != null) {
            Evaluated param = evaluation.eval(aggregate.param());
            if (param instanceof Scalars scalars) {
                params = scalars.values();
            } else {
                labelParam = ((Text) param).value();
            }
        }
        List<StepSeries> input = ((Vectors) evaluation.eval(aggregate.expr())).series();
        if (op == AggregationOp.COUNT_VALUES && !isValidLabelName(labelParam)) {
            throw new QueryException(QueryException.Category.EXECUTION,
                    "invalid label name " + Strings.quote(labelParam));
        }
        // Group of each input series, decided once from its labels.
        Map<Labels, Integer> groupIds = new LinkedHashMap<>();
        int[] groupOf = new int[input.size()];
        Set<String> grouping = new HashSet<>(aggregate.grouping());
        for (int s = 0; s < input.size(); s++) {
            Labels labels = input.get(s).labels;
            Labels key;
            if (aggregate.without()) {
                Set<String> dropped = new HashSet<>(grouping);
                dropped.add(Labels.METRIC_NAME);
                key = labels.drop(dropped);
            } else {
                key = labels.keep(grouping);
            }
            Integer id = groupIds.get(key);
            if (id == null) {
                id = groupIds.size();
                groupIds.put(key, id);
            }
            groupOf[s] = id;
        }
        Labels[] groupLabels = groupIds.keySet().toArray(new Labels[0]);
        int groups = groupLabels.length;
        if (aggregate.param() == null && (long) groups * evaluation.stepCount <= SERIES_MAJOR_CELLS) {
            Evaluated result = simpleSeriesMajor(evaluation, op, input, groupLabels, groupOf);
            if (result != null) {
                return result;
            }
        }
        Evaluation.StepCursor cursor = new Evaluation.StepCursor(input);
        int[] indexes = new int[input.size()];
        double[] values = new double[input.size()];
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (int step = 0; step < evaluation.stepCount; step++) {
            int count = cursor.at(step, indexes, values);
            if (params != null && Double.isNaN(params[step])) {
                if (op == AggregationOp.TOPK || op == AggregationOp.BOTTOMK || op == AggregationOp.LIMITK) {
                    throw new QueryException(QueryException.Category.EXECUTION, "Parameter value is NaN");
                }
                if (op == AggregationOp.LIMIT_RATIO) {
                    throw new QueryException(QueryException.Category.EXECUTION, "Ratio value is NaN");
                }
            }
            if (count == 0) {
                continue;
            }
            switch (op) {
                case TOPK, BOTTOMK, LIMITK -> selectK(evaluation, aggregate, params[step], input, groupOf, groups,
                        indexes, values, count, step, collector);
                case LIMIT_RATIO -> limitRatio(evaluation, aggregate, params[step], input, indexes, values, count,
                        step, collector);
                case COUNT_VALUES -> countValues(labelParam, groupLabels, groupOf, indexes, values, count, step,
                        collector);
                case QUANTILE -> quantile(evaluation, aggregate, params[step], groupLabels, groupOf, indexes, values,
                        count, step, collector);
                default -> simple(op, groupLabels, groupOf, indexes, values, count, step, collector);
            }
        }
        return new Vectors(collector.series());
    }

    private static boolean isValidLabelName(String name) {
        return name != null && !name.isEmpty() && name.indexOf('\uFFFD') < 0;
    }

    /** sum, avg, count, min, max, group, stddev, stdvar. */
    private static void simple(AggregationOp op, Labels[] groupLabels, int[] groupOf, int[] indexes, double[] values,
            int count, int step, SeriesCollector collector) {
        int groups = groupLabels.length;
        double[] sum = new double[groups];
        double[] compensation = new double[groups];
        double[] mean = new double[groups];
        double[] squares = new double[groups];
        long[] n = new long[groups];
        int[] order = new int[groups];
        int seen = 0;
        for (int i = 0; i < count; i++) {
            int group = groupOf[indexes[i]];
            double value = values[i];
            if (n[group] == 0) {
                order[seen++] = group;
                sum[group] = value;
                mean[group] = value;
                // NaN or an infinity alone has no defined deviation.
                squares[group] = value - value;
                n[group] = 1;
                continue;
            }
            n[group]++;
            switch (op) {
                case SUM, AVG -> {
                    double[] kahan = RangeFunctions.kahanAdd(value, sum[group], compensation[group]);
                    sum[group] = kahan[0];
                    compensation[group] = kahan[1];
                }
                case MIN -> {
                    if (sum[group] > value || Double.isNaN(sum[group])) {
                        sum[group] = value;
                    }
                }
                case MAX -> {
                    if (sum[group] < value || Double.isNaN(sum[group])) {
                        sum[group] = value;
                    }
                }
                case STDDEV, STDVAR -> {
                    double delta = value - mean[group];
                    mean[group] += delta / n[group];
                    squares[group] += delta * (value - mean[group]);
                }
                default -> { }
            }
        }
        for (int k = 0; k < seen; k++) {
            int group = order[k];
            double result = switch (op) {
                case SUM -> Double.isInfinite(sum[group]) ? sum[group] : sum[group] + compensation[group];
                case AVG -> average(sum[group], compensation[group], n[group], groupOf, indexes, values, count,
                        group);
                case COUNT -> n[group];
                case GROUP -> 1;
                case MIN, MAX -> sum[group];
                case STDVAR -> squares[group] / n[group];
                case STDDEV -> Math.sqrt(squares[group] / n[group]);
                default -> throw new IllegalStateException("not a simple aggregation: " + op);
            };
            collector.add(groupLabels[group], step, result);
        }
    }

    /**
     * The mean: the compensated sum over the count, unless the sum overflowed from finite inputs; then an
     * incremental mean, which stays finite where the inputs are.
     */
    private static double average(double sum, double compensation, long n, int[] groupOf, int[] indexes,
            double[] values, int count, int group) {
        if (!Double.isInfinite(sum)) {
            return (sum + compensation) / n;
        }
        boolean infiniteInput = false;
        for (int i = 0; i < count; i++) {
            if (groupOf[indexes[i]] == group && Double.isInfinite(values[i])) {
                infiniteInput = true;
            }
        }
        if (infiniteInput) {
            return sum / n;
        }
        double mean = 0;
        double meanCompensation = 0;
        long seen = 0;
        for (int i = 0; i < count; i++) {
            if (groupOf[indexes[i]] == group) {
                seen++;
                double q = (seen - 1.0) / seen;
                double[] kahan = RangeFunctions.kahanAdd(values[i] / seen, q * mean, q * meanCompensation);
                mean = kahan[0];
                meanCompensation = kahan[1];
            }
        }
        return mean + meanCompensation;
    }

    private static void selectK(Evaluation evaluation, AggregateExpr aggregate, double param,
            List<StepSeries> input, int[] groupOf, int groups, int[] indexes, double[] values, int count, int step,
            SeriesCollector collector) {
        long k = param >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) param;
        if (k < 1) {
            return;
        }
        AggregationOp op = aggregate.op();
        List<List<Integer>> members = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            members.add(null);
        }
        List<Integer> groupOrder = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int group = groupOf[indexes[i]];
            List<Integer> list = members.get(group);
            if (list == null) {
                list = new ArrayList<>();
                members.set(group, list);
                groupOrder.add(group);
            }
            list.add(i);
        }
        for (int group : groupOrder) {
            List<Integer> list = members.get(group);
            if (op != AggregationOp.LIMITK) {
                boolean top = op == AggregationOp.TOPK;
                // NaN sorts last for both: it is never among the largest or the smallest while numbers remain.
                list.sort((a, b) -> {
                    double x = values[a];
                    double y = values[b];
                    if (Double.isNaN(x) || Double.isNaN(y)) {
                        return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
                    }
                    return top ? Double.compare(y, x) : Double.compare(x, y);
                });
            }
            int limit = (int) Math.min(k, list.size());
            for (int j = 0; j < limit; j++) {
                int i = list.get(j);
                collector.add(input.get(indexes[i]).labels, step, values[i]);
            }
        }
    }

    private static void limitRatio(Evaluation evaluation, AggregateExpr aggregate, double param,
            List<StepSeries> input, int[] indexes, double[] values, int count, int step, SeriesCollector collector) {
        double ratio = param;
        if (ratio > 1 || ratio < -1) {
            double capped = ratio > 1 ? 1 : -1;
            evaluation.context.annotations.warn("ratio value should be between -1 and 1, got "
                    + Numbers.format(ratio) + ", capping to " + Numbers.format(capped), aggregate.param().position());
            ratio = capped;
        }
        for (int i = 0; i < count; i++) {
            Labels labels = input.get(indexes[i]).labels;
            double sampleRatio = LabelHash.ratio(labels);
            boolean keep = ratio >= 0 ? sampleRatio < ratio : sampleRatio >= 1 + ratio;
            if (keep) {
                collector.add(labels, step, values[i]);
            }
        }
    }

    private static void countValues(String label, Labels[] groupLabels, int[] groupOf, int[] indexes,
            double[] values, int count, int step, SeriesCollector collector) {
        Map<Labels, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Labels labels = groupLabels[groupOf[indexes[i]]].builder().set(label, Numbers.format(values[i])).build();
            counts.merge(labels, 1, Integer::sum);
        }
        for (Map.Entry<Labels, Integer> entry : counts.entrySet()) {
            collector.add(entry.getKey(), step, entry.getValue());
        }
    }

    private static void quantile(Evaluation evaluation, AggregateExpr aggregate, double q, Labels[] groupLabels,
            int[] groupOf, int[] indexes, double[] values, int count, int step, SeriesCollector collector) {
        if (Double.isNaN(q) || q < 0 || q > 1) {
            evaluation.context.annotations.warn("quantile value should be between 0 and 1, got " + Numbers.format(q),
                    aggregate.param().position());
        }
        Map<Integer, double[]> byGroup = new LinkedHashMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int group = groupOf[indexes[i]];
            double[] groupValues = byGroup.computeIfAbsent(group, g -> new double[count]);
            int size = sizes.getOrDefault(group, 0);
            groupValues[size] = values[i];
            sizes.put(group, size + 1);
        }
        for (Map.Entry<Integer, double[]> entry : byGroup.entrySet()) {
            double[] groupValues = Arrays.copyOf(entry.getValue(), sizes.get(entry.getKey()));
            collector.add(groupLabels[entry.getKey()], step, quantileOf(q, groupValues));
        }
    }

    /** Prometheus' φ-quantile of values: linear interpolation between the closest ranks. Sorts {@code values}. */
    static double quantileOf(double q, double[] values) {
        if (values.length == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        // Go's sort.Float64s puts NaN first.
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        Arrays.sort(boxed, (a, b) -> {
            if (a.isNaN() || b.isNaN()) {
                return Boolean.compare(b.isNaN(), a.isNaN());
            }
            return Double.compare(a, b);
        });
        double rank = q * (values.length - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = Math.min(values.length - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return boxed[lower] * (1 - weight) + boxed[upper] * weight;
    }
}
