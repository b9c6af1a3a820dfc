package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Scalars;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.parser.BinaryOp;
import io.otelservices.query.promql.parser.Expr.BinaryExpr;
import io.otelservices.query.promql.parser.Expr.Cardinality;
import io.otelservices.query.promql.parser.Expr.VectorMatching;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and instant vectors, with Prometheus' vector matching rules. */
final class BinaryOperations {

    private BinaryOperations() {}

    static Evaluated evaluate(Evaluation evaluation, BinaryExpr binary) {
        Evaluated lhs = evaluation.eval(binary.lhs());
        Evaluated rhs = evaluation.eval(binary.rhs());
        BinaryOp op = binary.op();
        if (lhs instanceof Scalars left && rhs instanceof Scalars right) {
            double[] values = new double[evaluation.stepCount];
            for (int i = 0; i < values.length; i++) {
                double l = left.values()[i];
                double r = right.values()[i];
                values[i] = op.isComparison() ? (compare(op, l, r) ? 1 : 0) : arithmetic(op, l, r);
            }
            return new Scalars(values);
        }
        if (lhs instanceof Vectors left && rhs instanceof Scalars right) {
            return vectorScalar(evaluation, binary, left.series(), right.values(), false);
        }
        if (lhs instanceof Scalars left && rhs instanceof Vectors right) {
            return vectorScalar(evaluation, binary, right.series(), left.values(), true);
        }
        List<StepSeries> left = ((Vectors) lhs).series();
        List<StepSeries> right = ((Vectors) rhs).series();
        if (op.isSetOperator()) {
            return setOperation(evaluation, binary, left, right);
        }
        return vectorVector(evaluation, binary, left, right);
    }

    static double arithmetic(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r;
            case POW -> Math.pow(l, r);
            case ATAN2 -> Math.atan2(l, r);
            default -> throw new IllegalStateException("not arithmetic: " + op);
        };
    }

    static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    /** Arithmetic drops the metric name; a comparison keeps it unless it has {@code bool}. */
    private static boolean dropsMetricName(BinaryOp op) {
        return !op.isComparison() && !op.isSetOperator();
    }

    private static Evaluated vectorScalar(Evaluation evaluation, BinaryExpr binary, List<StepSeries> vector,
            double[] scalars, boolean scalarOnLeft) {
        BinaryOp op = binary.op();
        boolean dropName = dropsMetricName(op) || binary.returnBool();
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (StepSeries series : vector) {
            Labels labels = dropName ? series.labels.withoutMetricName() : series.labels;
            SeriesCollector.Entry entry = collector.entry(labels);
            for (int i = 0; i < series.size; i++) {
                int step = series.steps[i];
                double vectorValue = series.values[i];
                double l = scalarOnLeft ? scalars[step] : vectorValue;
                double r = scalarOnLeft ? vectorValue : scalars[step];
                if (op.isComparison()) {
                    boolean holds = compare(op, l, r);
                    if (binary.returnBool()) {
                        collector.add(entry, step, holds ? 1 : 0);
                    } else if (holds) {
                        collector.add(entry, step, vectorValue);
                    }
                } else {
                    collector.add(entry, step, arithmetic(op, l, r));
                }
            }
        }
        return new Vectors(collector.series());
    }

    /** The labels two samples are matched by: the {@code on} labels, or all but the ignored ones and the name. */
    static Labels signature(Labels labels, VectorMatching matching) {
        if (matching.on()) {
            return labels.keep(matching.labels());
        }
        Set<String> ignored = new HashSet<>(matching.labels());
        ignored.add(Labels.METRIC_NAME);
        return labels.drop(ignored);
    }

    private static Labels[] signatures(List<StepSeries> series, VectorMatching matching) {
        Labels[] signatures = new Labels[series.size()];
        for (int i = 0; i < signatures.length; i++) {
            signatures[i] = signature(series.get(i).labels, matching);
        }
        return signatures;
    }

    private static Evaluated setOperation(Evaluation evaluation, BinaryExpr binary, List<StepSeries> left,
            List<StepSeries> right) {
        VectorMatching matching = binary.matching();
        Labels[] leftSignatures = signatures(left, matching);
        Labels[] rightSignatures = signatures(right, matching);
        Evaluation.StepCursor leftCursor = new Evaluation.StepCursor(left);
        Evaluation.StepCursor rightCursor = new Evaluation.StepCursor(right);
        int[] leftIndexes = new int[left.size()];
        double[] leftValues = new double[left.size()];
        int[] rightIndexes = new int[right.size()];
        double[] rightValues = new double[right.size()];
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        Set<Labels> seen = new HashSet<>();
        for (int step = 0; step < evaluation.stepCount; step++) {
            int leftCount = leftCursor.at(step, leftIndexes, leftValues);
            int rightCount = rightCursor.at(step, rightIndexes, rightValues);
            seen.clear();
            switch (binary.op()) {
                case AND -> {
                    for (int i = 0; i < rightCount; i++) {
                        seen.add(rightSignatures[rightIndexes[i]]);
                    }
                    for (int i = 0; i < leftCount; i++) {
                        if (seen.contains(leftSignatures[leftIndexes[i]])) {
                            collector.add(left.get(leftIndexes[i]).labels, step, leftValues[i]);
                        }
                    }
                }
                case OR -> {
                    for (int i = 0; i < leftCount; i++) {
                        seen.add(leftSignatures[leftIndexes[i]]);
                        collector.add(left.get(leftIndexes[i]).labels, step, leftValues[i]);
                    }
                    for (int i = 0; i < rightCount; i++) {
                        if (!seen.contains(rightSignatures[rightIndexes[i]])) {
                            collector.add(right.get(rightIndexes[i]).labels, step, rightValues[i]);
                        }
                    }
                }
                case UNLESS -> {
                    for (int i = 0; i < rightCount; i++) {
                        seen.add(rightSignatures[rightIndexes[i]]);
                    }
                    for (int i = 0; i < leftCount; i++) {
                        if (!seen.contains(leftSignatures[leftIndexes[i]])) {
                            collector.add(left.get(leftIndexes[i]).labels, step, leftValues[i]);
                        }
                    }
                }
                default -> throw new IllegalStateException("not a set operator: " + binary.op());
            }
        }
        return new Vectors(collector.series());
    }

    private static Evaluated vectorVector(Evaluation evaluation, BinaryExpr binary, List<StepSeries> lhs,
            List<StepSeries> rhs) {
        VectorMatching matching = binary.matching();
        BinaryOp op = binary.op();
        boolean oneToMany = matching.cardinality() == Cardinality.ONE_TO_MANY;
        // The "many" side is walked, the "one" side is looked up by signature.
        List<StepSeries> many = oneToMany ? rhs : lhs;
        List<StepSeries> one = oneToMany ? lhs : rhs;
        Labels[] manySignatures = signatures(many, matching);
        Labels[] oneSignatures = signatures(one, matching);
        Evaluation.StepCursor manyCursor = new Evaluation.StepCursor(many);
        Evaluation.StepCursor oneCursor = new Evaluation.StepCursor(one);
        int[] manyIndexes = new int[many.size()];
        double[] manyValues = new double[many.size()];
        int[] oneIndexes = new int[one.size()];
        double[] oneValues = new double[one.size()];
        Map<Labels, Integer> oneBySignature = new HashMap<>();
        Set<Labels> matchedSignatures = new HashSet<>();
        Set<Labels> outputLabels = new HashSet<>();
        Map<Long, SeriesCollector.Entry> resultEntries = new HashMap<>();
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (int step = 0; step < evaluation.stepCount; step++) {
            int manyCount = manyCursor.at(step, manyIndexes, manyValues);
            int oneCount = oneCursor.at(step, oneIndexes, oneValues);
            oneBySignature.clear();
            matchedSignatures.clear();
            outputLabels.clear();
            for (int i = 0; i < oneCount; i++) {
                Labels signature = oneSignatures[oneIndexes[i]];
                Integer earlier = oneBySignature.put(signature, i);
                if (earlier != null) {
                    throw new QueryException(QueryException.Category.EXECUTION,
                            "found duplicate series for the match group " + goString(signature) + " on the "
                                    + (oneToMany ? "left" : "right") + " hand-side of the operation: ["
                                    + goString(one.get(oneIndexes[earlier]).labels) + ", "
                                    + goString(one.get(oneIndexes[i]).labels)
                                    + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
            }
            for (int i = 0; i < manyCount; i++) {
                int manyIndex = manyIndexes[i];
                Labels signature = manySignatures[manyIndex];
                Integer match = oneBySignature.get(signature);
                if (match == null) {
                    continue;
                }
                int oneIndex = oneIndexes[match];
                // Checked before filtering: a comparison that keeps nothing still may not hide ambiguous matches.
                if (matching.cardinality() == Cardinality.ONE_TO_ONE && !matchedSignatures.add(signature)) {
                    throw new QueryException(QueryException.Category.EXECUTION, "multiple matches for labels: "
                            + "many-to-one matching must be explicit (group_left/group_right)");
                }
                double l = oneToMany ? oneValues[match] : manyValues[i];
                double r = oneToMany ? manyValues[i] : oneValues[match];
                double value;
                if (op.isComparison()) {
                    boolean holds = compare(op, l, r);
                    if (binary.returnBool()) {
                        value = holds ? 1 : 0;
                    } else if (holds) {
                        value = l;
                    } else {
                        continue;
                    }
                } else {
                    value = arithmetic(op, l, r);
                }
                long pair = ((long) manyIndex << 32) | oneIndex;
                SeriesCollector.Entry entry = resultEntries.get(pair);
                if (entry == null) {
                    entry = collector.entry(resultMetric(many.get(manyIndex).labels, one.get(oneIndex).labels,
                            binary));
                    resultEntries.put(pair, entry);
                }
                if (matching.cardinality() != Cardinality.ONE_TO_ONE && !outputLabels.add(entry.series.labels)) {
                    throw new QueryException(QueryException.Category.EXECUTION,
                            "multiple matches for labels: grouping labels must ensure unique matches");
                }
                collector.add(entry, step, value);
            }
        }
        return new Vectors(collector.series());
    }

    private static Labels resultMetric(Labels manySide, Labels oneSide, BinaryExpr binary) {
        VectorMatching matching = binary.matching();
        Labels.Builder builder = manySide.builder();
        if (dropsMetricName(binary.op()) || binary.returnBool()) {
            builder.remove(Labels.METRIC_NAME);
        }
        if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
            if (matching.on()) {
                Labels kept = builder.build().keep(matching.labels());
                builder = kept.builder();
            } else {
                for (String label : matching.labels()) {
                    builder.remove(label);
                }
            }
        }
        for (String label : matching.include()) {
            builder.set(label, oneSide.get(label));
        }
        return builder.build();
    }

    /** Labels as Go's {@code labels.Labels.String()} prints them: {@code {__name__="a", b="c"}}. */
    static String goString(Labels labels) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(labels.name(i)).append('=').append(Strings.quote(labels.value(i)));
        }
        return text.append('}').toString();
    }
}
