package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Ranges;
import io.otelservices.query.promql.Evaluated.Scalars;
import io.otelservices.query.promql.Evaluated.Text;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.parser.Expr;
import io.otelservices.query.promql.parser.Expr.AtModifier;
import io.otelservices.query.promql.parser.Expr.MatrixSelector;
import io.otelservices.query.promql.parser.Expr.ParenExpr;
import io.otelservices.query.promql.parser.Expr.SubqueryExpr;
import io.otelservices.query.promql.parser.Expr.VectorSelector;
import io.otelservices.query.promql.parser.PromQlParser;
import io.otelservices.query.promql.parser.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One evaluation of an expression over evenly spaced steps ({@code start}, {@code start + interval}, ... up to
 * {@code end}); an instant query is one step. Expressions evaluate bottom-up, each to its value at every step
 * (Prometheus' range evaluation). Subqueries run as nested evaluations on their own step grid, sharing the query's
 * limits and annotations. Not thread-safe: one query, one thread.
 */
final class Evaluation {

    /** What nested evaluations of one query share. */
    static final class QueryContext {
        final EngineOptions options;
        final Queryable queryable;
        final long deadlineNanos;
        final Annotations annotations;
        final long queryStartMillis;
        final long queryEndMillis;
        final long queryStepMillis;
        long samplesRead;
        long samplesHeld;

        QueryContext(EngineOptions options, Queryable queryable, String query, long deadlineNanos, long startMillis,
                long endMillis, long stepMillis) {
            this.options = options;
            this.queryable = queryable;
            this.deadlineNanos = deadlineNanos;
            this.annotations = new Annotations(query);
            this.queryStartMillis = startMillis;
            this.queryEndMillis = endMillis;
            this.queryStepMillis = stepMillis;
        }

        void checkDeadline() {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new QueryException(QueryException.Category.TIMEOUT, "query timed out in expression evaluation");
            }
        }

        void hold(long samples) {
            samplesHeld += samples;
            if (samplesHeld > options.maxSamples()) {
                throw new QueryException(QueryException.Category.EXECUTION,
                        "query processing would load too many samples into memory in query execution");
            }
        }
    }

    final QueryContext context;
    final long startMillis;
    final long endMillis;
    final long intervalMillis;
    final int stepCount;
    final long[] stepTimes;

    Evaluation(QueryContext context, long startMillis, long endMillis, long intervalMillis) {
        this.context = context;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.intervalMillis = intervalMillis;
        this.stepCount = intervalMillis == 0 ? 1 : (int) ((endMillis - startMillis) / intervalMillis) + 1;
        this.stepTimes = new long[stepCount];
        for (int i = 0; i < stepCount; i++) {
            stepTimes[i] = startMillis + i * intervalMillis;
        }
    }

    // ---- entry points ------------------------------------------------------------------------------------------

    static QueryResult instant(EngineOptions options, Queryable queryable, String query, long timeMillis,
            long deadlineNanos) {
        Expr expr = PromQlParser.parse(query);
        QueryContext context = new QueryContext(options, queryable, query, deadlineNanos, timeMillis, timeMillis, 0);
        Evaluation evaluation = new Evaluation(context, timeMillis, timeMillis, 0);
        Evaluated result = evaluation.evalTop(expr);
        Value value;
        if (result instanceof Scalars scalars) {
            value = new Value.Scalar(timeMillis, scalars.values()[0]);
        } else if (result instanceof Text text) {
            value = new Value.StringValue(timeMillis, text.value());
        } else if (result instanceof Ranges ranges) {
            value = new Value.Matrix(ranges.series());
        } else {
            List<StepSeries> series = ((Vectors) result).series();
            List<Value.Sample> samples = new ArrayList<>(series.size());
            for (StepSeries one : series) {
                if (one.size > 0) {
                    samples.add(new Value.Sample(one.labels, timeMillis, one.values[0]));
                }
            }
            value = new Value.Vector(samples);
        }
        return new QueryResult(value, context.annotations.warnings(), context.annotations.infos(),
                context.samplesRead);
    }

    static QueryResult range(EngineOptions options, Queryable queryable, String query, long startMillis,
            long endMillis, long stepMillis, long deadlineNanos) {
        Expr expr = PromQlParser.parse(query);
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw new QueryException(QueryException.Category.BAD_DATA, "invalid expression type \""
                    + expr.type().displayName() + "\" for range query, must be Scalar or instant Vector");
        }
        QueryContext context = new QueryContext(options, queryable, query, deadlineNanos, startMillis, endMillis,
                stepMillis);
        Evaluation evaluation = new Evaluation(context, startMillis, endMillis, stepMillis);
        Evaluated result = evaluation.evalTop(expr);
        List<Series> series = new ArrayList<>();
        if (result instanceof Scalars scalars) {
            series.add(new Series(Labels.EMPTY, evaluation.stepTimes.clone(), scalars.values().clone()));
        } else if (result instanceof Vectors vectors) {
            for (StepSeries stepSeries : vectors.series()) {
                if (stepSeries.size == 0) {
                    continue;
                }
                long[] times = new long[stepSeries.size];
                for (int i = 0; i < stepSeries.size; i++) {
                    times[i] = evaluation.stepTimes[stepSeries.steps[i]];
                }
                series.add(new Series(stepSeries.labels, times, Arrays.copyOf(stepSeries.values, stepSeries.size)));
            }
            series.sort((a, b) -> a.labels().compareTo(b.labels()));
        }
        return new QueryResult(new Value.Matrix(series), context.annotations.warnings(),
                context.annotations.infos(), context.samplesRead);
    }

    private Evaluated evalTop(Expr expr) {
        Expr inner = unwrapParens(expr);
        if (inner instanceof MatrixSelector || inner instanceof SubqueryExpr) {
            RangeInput input = rangeInput(inner);
            List<Series> series = new ArrayList<>();
            for (int s = 0; s < input.series().size(); s++) {
                Series raw = input.series().get(s);
                long end = input.windowEnds()[0];
                long start = end - input.rangeMillis();
                int from = 0;
                while (from < raw.size() && raw.timestampMillis(from) <= start) {
                    from++;
                }
                int to = from;
                while (to < raw.size() && raw.timestampMillis(to) <= end) {
                    to++;
                }
                if (to > from) {
                    series.add(new Series(raw.labels(), Arrays.copyOfRange(raw.timestampsArray(), from, to),
                            Arrays.copyOfRange(raw.valuesArray(), from, to)));
                }
            }
            return new Ranges(series);
        }
        return eval(expr);
    }

    static Expr unwrapParens(Expr expr) {
        Expr inner = expr;
        while (inner instanceof ParenExpr paren) {
            inner = paren.expr();
        }
        return inner;
    }

    // ---- evaluation --------------------------------------------------------------------------------------------

    Evaluated eval(Expr expr) {
        context.checkDeadline();
        if (expr instanceof Expr.NumberLiteral number) {
            return constant(number.value());
        }
        if (expr instanceof Expr.StringLiteral string) {
            return new Text(string.value());
        }
        if (expr instanceof ParenExpr paren) {
            return eval(paren.expr());
        }
        if (expr instanceof Expr.UnaryExpr unary) {
            return unary(unary);
        }
        if (expr instanceof VectorSelector selector) {
            return new Vectors(selectVector(selector, false));
        }
        if (expr instanceof Expr.Call call) {
            return Functions.call(this, call);
        }
        if (expr instanceof Expr.AggregateExpr aggregate) {
            return Aggregations.aggregate(this, aggregate);
        }
        if (expr instanceof Expr.BinaryExpr binary) {
            return BinaryOperations.evaluate(this, binary);
        }
        throw new QueryException(QueryException.Category.EXECUTION,
                "a range vector is only allowed as a function argument, got " + expr);
    }

    Scalars constant(double value) {
        double[] values = new double[stepCount];
        Arrays.fill(values, value);
        return new Scalars(values);
    }

    private Evaluated unary(Expr.UnaryExpr unary) {
        Evaluated operand = eval(unary.expr());
        if (!unary.negate()) {
            return operand;
        }
        if (operand instanceof Scalars scalars) {
            double[] values = new double[stepCount];
            for (int i = 0; i < stepCount; i++) {
                values[i] = -scalars.values()[i];
            }
            return new Scalars(values);
        }
        List<StepSeries> input = ((Vectors) operand).series();
        SeriesCollector collector = new SeriesCollector(stepCount);
        for (StepSeries series : input) {
            Labels labels = series.labels.withoutMetricName();
            SeriesCollector.Entry entry = collector.entry(labels);
            for (int i = 0; i < series.size; i++) {
                collector.add(entry, series.steps[i], -series.values[i]);
            }
        }
        return new Vectors(collector.series());
    }

    // ---- selectors ---------------------------------------------------------------------------------------------

    /** The time each step reads at, after {@code @} and {@code offset}. */
    long[] readTimes(Long atMillis, AtModifier at, long offsetMillis) {
        long[] times = new long[stepCount];
        for (int i = 0; i < stepCount; i++) {
            long base;
            if (atMillis != null) {
                base = atMillis;
            } else if (at == AtModifier.START) {
                base = context.queryStartMillis;
            } else if (at == AtModifier.END) {
                base = context.queryEndMillis;
            } else {
                base = stepTimes[i];
            }
            times[i] = base - offsetMillis;
        }
        return times;
    }

    /**
     * An instant selector at every step: the latest sample in the lookback window {@code (t - lookback, t]}, unless
     * it is a staleness marker.
     *
     * @param sampleTimes give each sample's own time in seconds instead of its value ({@code timestamp()})
     */
    List<StepSeries> selectVector(VectorSelector selector, boolean sampleTimes) {
        long[] times = readTimes(selector.atMillis(), selector.at(), selector.offsetMillis());
        long lookback = context.options.lookbackDelta().toMillis();
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (long time : times) {
            minTime = Math.min(minTime, time);
            maxTime = Math.max(maxTime, time);
        }
        List<Series> selected = select(new SelectHints(minTime - lookback + 1, maxTime, intervalMillis, 0, ""),
                selector.matchers());
        List<StepSeries> result = new ArrayList<>(selected.size());
        long held = 0;
        for (Series series : selected) {
            StepSeries out = new StepSeries(series.labels(), Math.min(stepCount, series.size() + 1));
            long[] timestamps = series.timestampsArray();
            double[] values = series.valuesArray();
            int next = 0;
            for (int i = 0; i < stepCount; i++) {
                long time = times[i];
                if (i > 0 && time < times[i - 1]) {
                    next = 0;
                }
                while (next < series.size() && timestamps[next] <= time) {
                    next++;
                }
                int last = next - 1;
                if (last >= 0 && timestamps[last] > time - lookback && !Series.isStaleMarker(values[last])) {
                    out.add(i, sampleTimes ? timestamps[last] / 1000.0 : values[last]);
                }
            }
            if (out.size > 0) {
                held += out.size;
                result.add(out);
            }
        }
        context.hold(held);
        return result;
    }

    List<Series> select(SelectHints hints, List<io.otelservices.query.promql.LabelMatcher> matchers) {
        List<Series> selected = context.queryable.select(hints, matchers);
        long read = 0;
        for (Series series : selected) {
            read += series.size();
        }
        context.samplesRead += read;
        context.hold(read);
        context.checkDeadline();
        return selected;
    }

    /**
     * A range vector argument: its series' samples (staleness markers dropped) and, per step, the end of the window
     * {@code (end - range, end]} the function reads.
     */
    record RangeInput(List<Series> series, long[] windowEnds, long rangeMillis, Expr expr) {}

    RangeInput rangeInput(Expr expr) {
        Expr inner = unwrapParens(expr);
        if (inner instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.selector();
            long[] ends = readTimes(selector.atMillis(), selector.at(), selector.offsetMillis());
            long minEnd = Long.MAX_VALUE;
            long maxEnd = Long.MIN_VALUE;
            for (long end : ends) {
                minEnd = Math.min(minEnd, end);
                maxEnd = Math.max(maxEnd, end);
            }
            List<Series> selected = select(new SelectHints(minEnd - matrix.rangeMillis() + 1, maxEnd, intervalMillis,
                    matrix.rangeMillis(), ""), selector.matchers());
            List<Series> withoutMarkers = new ArrayList<>(selected.size());
            for (Series series : selected) {
                withoutMarkers.add(dropStaleMarkers(series));
            }
            return new RangeInput(withoutMarkers, ends, matrix.rangeMillis(), matrix);
        }
        if (inner instanceof SubqueryExpr subquery) {
            return subqueryInput(subquery);
        }
        throw new QueryException(QueryException.Category.EXECUTION, "expected a range vector, got " + expr);
    }

    private static Series dropStaleMarkers(Series series) {
        double[] values = series.valuesArray();
        int stale = 0;
        for (int i = 0; i < series.size(); i++) {
            if (Series.isStaleMarker(values[i])) {
                stale++;
            }
        }
        if (stale == 0) {
            return series;
        }
        long[] keptTimes = new long[series.size() - stale];
        double[] keptValues = new double[series.size() - stale];
        int kept = 0;
        for (int i = 0; i < series.size(); i++) {
            if (!Series.isStaleMarker(values[i])) {
                keptTimes[kept] = series.timestampMillis(i);
                keptValues[kept] = values[i];
                kept++;
            }
        }
        return new Series(series.labels(), keptTimes, keptValues);
    }

    /**
     * A subquery: the inner expression evaluated on its own grid, the multiples of its step from just after the
     * first window's start to the last window's end (Prometheus aligns subquery steps to absolute time).
     */
    private RangeInput subqueryInput(SubqueryExpr subquery) {
        long[] ends = readTimes(subquery.atMillis(), subquery.at(), subquery.offsetMillis());
        long minEnd = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (long end : ends) {
            minEnd = Math.min(minEnd, end);
            maxEnd = Math.max(maxEnd, end);
        }
        long step = subquery.stepMillis() != 0 ? subquery.stepMillis()
                : context.queryStepMillis != 0 ? context.queryStepMillis
                : context.options.defaultSubqueryStep().toMillis();
        long firstStart = minEnd - subquery.rangeMillis();
        long alignedStart = step * (firstStart / step);
        if (alignedStart <= firstStart) {
            alignedStart += step;
        }
        List<Series> series = new ArrayList<>();
        if (alignedStart <= maxEnd) {
            Evaluation inner = new Evaluation(context, alignedStart, maxEnd, step);
            Evaluated evaluated = inner.eval(subquery.expr());
            List<StepSeries> stepSeries = evaluated instanceof Scalars scalars
                    ? List.of(scalarSeries(scalars, inner.stepCount))
                    : ((Vectors) evaluated).series();
            for (StepSeries one : stepSeries) {
                long[] times = new long[one.size];
                for (int i = 0; i < one.size; i++) {
                    times[i] = inner.stepTimes[one.steps[i]];
                }
                series.add(new Series(one.labels, times, Arrays.copyOf(one.values, one.size)));
            }
            series.sort((a, b) -> a.labels().compareTo(b.labels()));
        }
        return new RangeInput(series, ends, subquery.rangeMillis(), subquery);
    }

    private static StepSeries scalarSeries(Scalars scalars, int stepCount) {
        StepSeries series = new StepSeries(Labels.EMPTY, stepCount);
        for (int i = 0; i < stepCount; i++) {
            series.add(i, scalars.values()[i]);
        }
        return series;
    }

    // ---- per-step views ------------------------------------------------------------------------------------------

    /**
     * The samples of vector-valued series regrouped by step (a counting sort over all samples, built once), so that
     * {@link #at} hands out one step's samples without visiting series that have none there.
     */
    static final class StepCursor {
        private final int[] offsets;
        private final int[] seriesIndexes;
        private final double[] values;

        StepCursor(List<StepSeries> series) {
            int maxStep = 0;
            int total = 0;
            for (StepSeries one : series) {
                total += one.size;
                if (one.size > 0) {
                    maxStep = Math.max(maxStep, one.steps[one.size - 1]);
                }
            }
            offsets = new int[maxStep + 2];
            for (StepSeries one : series) {
                for (int i = 0; i < one.size; i++) {
                    offsets[one.steps[i] + 1]++;
                }
            }
            for (int step = 0; step <= maxStep; step++) {
                offsets[step + 1] += offsets[step];
            }
            int[] next = java.util.Arrays.copyOf(offsets, offsets.length - 1);
            seriesIndexes = new int[total];
            values = new double[total];
            for (int s = 0; s < series.size(); s++) {
                StepSeries one = series.get(s);
                for (int i = 0; i < one.size; i++) {
                    int at = next[one.steps[i]]++;
                    seriesIndexes[at] = s;
                    values[at] = one.values[i];
                }
            }
        }

        /** Copies the series indexes and values of step {@code step} into the arrays; returns how many. */
        int at(int step, int[] indexes, double[] stepValues) {
            if (step + 1 >= offsets.length) {
                return 0;
            }
            int from = offsets[step];
            int count = offsets[step + 1] - from;
            System.arraycopy(seriesIndexes, from, indexes, 0, count);
            System.arraycopy(values, from, stepValues, 0, count);
            return count;
        }
    }
}
