package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Scalars;
import io.otelservices.query.promql.Evaluated.Text;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.parser.Expr;
import io.otelservices.query.promql.parser.Expr.Call;
import io.otelservices.query.promql.parser.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic histograms: series of cumulative
 * bucket counts told apart by their {@code le} label.
 */
final class ClassicHistograms {

    private static final String LE = "le";

    private ClassicHistograms() {}

    static Evaluated evaluate(Evaluation evaluation, Call call) {
        String name = call.function().name();
        List<Expr> args = call.args();
        Expr vectorArg;
        double[][] params;
        String quantileLabel = null;
        switch (name) {
            case "histogram_quantile" -> {
                params = new double[][] {scalars(evaluation, args.get(0))};
                vectorArg = args.get(1);
            }
            case "histogram_fraction" -> {
                params = new double[][] {scalars(evaluation, args.get(0)), scalars(evaluation, args.get(1))};
                vectorArg = args.get(2);
            }
            default -> {
                vectorArg = args.get(0);
                quantileLabel = ((Text) evaluation.eval(args.get(1))).value();
                params = new double[args.size() - 2][];
                for (int i = 2; i < args.size(); i++) {
                    params[i - 2] = scalars(evaluation, args.get(i));
                }
            }
        }
        List<StepSeries> input = Functions.vectors(evaluation, vectorArg);
        Annotations annotations = evaluation.context.annotations;
        // Each series' bucket: its group (labels without le and name) and upper bound.
        Map<Labels, Integer> groupIds = new LinkedHashMap<>();
        int[] groupOf = new int[input.size()];
        double[] upperBounds = new double[input.size()];
        for (int s = 0; s < input.size(); s++) {
            Labels labels = input.get(s).labels;
            String le = labels.get(LE);
            double bound;
            try {
                bound = le.isEmpty() ? Double.NaN : Numbers.parse(le);
            } catch (NumberFormatException e) {
                bound = Double.NaN;
            }
            if (Double.isNaN(bound)) {
                annotations.warn("bucket label \"le\" is missing or has a malformed value of " + Strings.quote(le)
                        + " for metric name " + Strings.quote(labels.metricName()), vectorArg.position());
                groupOf[s] = -1;
                continue;
            }
            upperBounds[s] = bound;
            // Grouped with the metric name, dropped from the output: two histograms that differ only by name
            // then collide, which Prometheus reports as an error.
            Labels key = labels.drop(Set.of(LE));
            Integer id = groupIds.get(key);
            if (id == null) {
                id = groupIds.size();
                groupIds.put(key, id);
            }
            groupOf[s] = id;
        }
        Labels[] groupLabels = groupIds.keySet().toArray(new Labels[0]);
        for (int g = 0; g < groupLabels.length; g++) {
            groupLabels[g] = groupLabels[g].withoutMetricName();
        }
        String[] metricNames = new String[groupLabels.length];
        for (int s = 0; s < input.size(); s++) {
            if (groupOf[s] >= 0 && metricNames[groupOf[s]] == null) {
                metricNames[groupOf[s]] = input.get(s).labels.metricName();
            }
        }
        if (name.equals("histogram_quantile") || name.equals("histogram_quantiles")) {
            for (double[] q : params) {
                checkQuantiles(evaluation, q, name.equals("histogram_quantile") ? args.get(0) : args.get(2));
            }
        }
        Evaluation.StepCursor cursor = new Evaluation.StepCursor(input);
        int[] indexes = new int[input.size()];
        double[] values = new double[input.size()];
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (int step = 0; step < evaluation.stepCount; step++) {
            int count = cursor.at(step, indexes, values);
            Map<Integer, List<double[]>> buckets = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                int group = groupOf[indexes[i]];
                if (group >= 0) {
                    buckets.computeIfAbsent(group, g -> new ArrayList<>())
                            .add(new double[] {upperBounds[indexes[i]], values[i]});
                }
            }
            for (Map.Entry<Integer, List<double[]>> entry : buckets.entrySet()) {
                int group = entry.getKey();
                double[][] sorted = entry.getValue().toArray(new double[0][]);
                if (name.equals("histogram_fraction")) {
                    collector.add(groupLabels[group], step, fraction(params[0][step], params[1][step], sorted));
                    continue;
                }
                for (double[] q : params) {
                    boolean[] fixed = new boolean[1];
                    double value = quantile(q[step], copy(sorted), fixed);
                    if (fixed[0]) {
                        annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                                + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
                                + "for metric name " + Strings.quote(metricNames[group]), vectorArg.position());
                    }
                    Labels labels = quantileLabel == null ? groupLabels[group]
                            : groupLabels[group].builder().set(quantileLabel, quantileText(q[step])).build();
                    collector.add(labels, step, value);
                }
            }
        }
        return new Vectors(collector.series());
    }

    /** The quantile label's value: {@code 0.25}, and whole numbers with one decimal, {@code 1.0}. */
    private static String quantileText(double q) {
        String text = Numbers.format(q);
        return text.matches("-?\\d+") ? text + ".0" : text;
    }

    private static double[] scalars(Evaluation evaluation, Expr expr) {
        return ((Scalars) evaluation.eval(expr)).values();
    }

    private static void checkQuantiles(Evaluation evaluation, double[] q, Expr position) {
        for (double value : q) {
            if (Double.isNaN(value) || value < 0 || value > 1) {
                evaluation.context.annotations.warn("quantile value should be between 0 and 1, got "
                        + Numbers.format(value), position.position());
                return;
            }
        }
    }

    private static double[][] copy(double[][] buckets) {
        double[][] copy = new double[buckets.length][];
        for (int i = 0; i < buckets.length; i++) {
            copy[i] = buckets[i].clone();
        }
        return copy;
    }

    /** Sorted by upper bound, buckets with the same bound merged. */
    private static double[][] prepare(double[][] buckets) {
        Arrays.sort(buckets, (a, b) -> Double.compare(a[0], b[0]));
        List<double[]> merged = new ArrayList<>();
        for (double[] bucket : buckets) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[0] == bucket[0]) {
                merged.get(merged.size() - 1)[1] += bucket[1];
            } else {
                merged.add(bucket);
            }
        }
        return merged.toArray(new double[0][]);
    }

    /**
     * The q-quantile by linear interpolation within the bucket it falls in; counts that decrease are raised to
     * their predecessor first ({@code fixedMonotonicity[0]} says so).
     */
    static double quantile(double q, double[][] input, boolean[] fixedMonotonicity) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        double[][] buckets = prepare(input);
        if (buckets.length == 0 || buckets[buckets.length - 1][0] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double previous = buckets[0][1];
        for (int i = 1; i < buckets.length; i++) {
            double current = buckets[i][1];
            if (current == previous) {
                continue;
            }
            if (Math.abs(current - previous) <= 1e-12 * Math.max(Math.abs(current), Math.abs(previous))) {
                buckets[i][1] = previous;
                continue;
            }
            if (current < previous) {
                buckets[i][1] = previous;
                fixedMonotonicity[0] = true;
                continue;
            }
            previous = current;
        }
        if (buckets.length < 2) {
            return Double.NaN;
        }
        double observations = buckets[buckets.length - 1][1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < buckets.length - 1 && buckets[b][1] < rank) {
            b++;
        }
        if (b == buckets.length - 1) {
            return buckets[buckets.length - 2][0];
        }
        if (b == 0 && buckets[0][0] <= 0) {
            return buckets[0][0];
        }
        double bucketStart = 0;
        double bucketEnd = buckets[b][0];
        double count = buckets[b][1];
        if (b > 0) {
            bucketStart = buckets[b - 1][0];
            count -= buckets[b - 1][1];
            rank -= buckets[b - 1][1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** The fraction of observations between {@code lower} and {@code upper}, interpolating within buckets. */
    static double fraction(double lower, double upper, double[][] input) {
        double[][] buckets = prepare(copy(input));
        if (buckets.length == 0 || buckets[buckets.length - 1][0] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double total = buckets[buckets.length - 1][1];
        if (total == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        return (rankAt(upper, buckets) - rankAt(lower, buckets)) / total;
    }

    /** Observations at or below {@code value}, interpolated linearly within its bucket. */
    private static double rankAt(double value, double[][] buckets) {
        double previousBound = Double.NEGATIVE_INFINITY;
        double previousCount = 0;
        for (int i = 0; i < buckets.length; i++) {
            double bound = buckets[i][0];
            double count = buckets[i][1];
            if (value <= bound) {
                if (bound == Double.POSITIVE_INFINITY) {
                    return value == Double.POSITIVE_INFINITY ? count : previousCount;
                }
                double start = i == 0 ? (bound > 0 ? 0 : Double.NEGATIVE_INFINITY) : previousBound;
                if (value <= start) {
                    return previousCount;
                }
                if (Double.isInfinite(start)) {
                    // A bucket of infinite width: no interpolation, its observations count as below the value.
                    return count;
                }
                return previousCount + (count - previousCount) * (value - start) / (bound - start);
            }
            previousBound = bound;
            previousCount = count;
        }
        return previousCount;
    }
}
