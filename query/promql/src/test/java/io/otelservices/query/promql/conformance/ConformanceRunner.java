package io.otelservices.query.promql.conformance;

import io.otelservices.query.promql.EngineOptions;
import io.otelservices.query.promql.InMemoryQueryable;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.PromQlEngine;
import io.otelservices.query.promql.QueryResult;
import io.otelservices.query.promql.Queryable;
import io.otelservices.query.promql.SelectHints;
import io.otelservices.query.promql.Series;
import io.otelservices.query.promql.Value;
import io.otelservices.query.promql.conformance.ConformanceScript.Annotation;
import io.otelservices.query.promql.conformance.ConformanceScript.Case;
import io.otelservices.query.promql.conformance.ConformanceScript.Clear;
import io.otelservices.query.promql.conformance.ConformanceScript.Command;
import io.otelservices.query.promql.conformance.ConformanceScript.Eval;
import io.otelservices.query.promql.conformance.ConformanceScript.Load;
import io.otelservices.query.promql.conformance.ConformanceScript.Point;
import io.otelservices.query.promql.conformance.ConformanceScript.PointKind;
import io.otelservices.query.promql.conformance.ConformanceScript.SeriesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs a conformance script against the engine over an in-memory store, as Prometheus' {@code promqltest} does:
 * each evaluation passes, fails (with the reason) or is skipped (native histograms, not supported yet).
 */
final class ConformanceRunner {

    enum Outcome { PASSED, FAILED, SKIPPED }

    /** One evaluation's outcome; {@code reason} says why it failed or was skipped. */
    record CaseResult(String file, int line, String query, Outcome outcome, String reason) {
        String id() {
            return file + ":" + line;
        }
    }

    /** A native histogram series as loaded: its labels and the times of its histogram samples. */
    private record NativeHistogramSeries(Labels labels, long firstMillis, long lastMillis) {}

    /** The store, which notes whether a selection touched native-histogram samples (which it does not hold). */
    private static final class ScriptStore implements Queryable {
        final InMemoryQueryable floats = new InMemoryQueryable();
        final List<NativeHistogramSeries> histograms = new ArrayList<>();
        boolean touchedHistograms;

        @Override
        public List<Series> select(SelectHints hints, List<LabelMatcher> matchers) {
            for (NativeHistogramSeries histogram : histograms) {
                if (histogram.lastMillis() >= hints.startMillis() && histogram.firstMillis() <= hints.endMillis()
                        && matchers.stream().allMatch(matcher -> matcher.matches(histogram.labels()))) {
                    touchedHistograms = true;
                }
            }
            return floats.select(hints, matchers);
        }

        @Override
        public List<Labels> series(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
            return floats.series(startMillis, endMillis, matchers, limit);
        }

        @Override
        public List<String> labelNames(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
            return floats.labelNames(startMillis, endMillis, matchers, limit);
        }

        @Override
        public List<String> labelValues(String name, long startMillis, long endMillis, List<LabelMatcher> matchers,
                int limit) {
            return floats.labelValues(name, startMillis, endMillis, matchers, limit);
        }
    }

    private final PromQlEngine engine = new PromQlEngine(EngineOptions.DEFAULT.withMaxSamples(50_000_000));

    List<CaseResult> run(ConformanceScript script) {
        List<CaseResult> results = new ArrayList<>();
        ScriptStore store = new ScriptStore();
        Map<Integer, Case> cases = new HashMap<>();
        for (Case one : script.cases()) {
            cases.put(one.eval().line(), one);
        }
        for (Command command : script.commands()) {
            if (command instanceof Clear) {
                store = new ScriptStore();
            } else if (command instanceof Load load) {
                load(store, load);
            } else if (command instanceof Eval eval) {
                results.add(evaluate(script.name(), store, eval, cases.get(eval.line())));
            }
        }
        return results;
    }

    private static void load(ScriptStore store, Load load) {
        for (SeriesData series : load.series()) {
            Labels labels = Labels.of(series.labels());
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Point point : series.points()) {
                long time = point.index() * load.intervalMillis();
                switch (point.kind()) {
                    case VALUE -> store.floats.add(labels, time, point.value());
                    case STALE -> store.floats.add(labels, time, Series.STALE_NAN);
                    case HISTOGRAM -> {
                        first = Math.min(first, time);
                        last = Math.max(last, time);
                    }
                    case MISSING -> { }
                }
            }
            if (first <= last) {
                store.histograms.add(new NativeHistogramSeries(labels, first, last));
            }
            if (load.convertClassicHistograms() && !series.points().isEmpty()) {
                // load_with_nhcb also loads each classic histogram as a native one under the family's name.
                Labels family = classicFamily(labels);
                if (family != null) {
                    long lastTime = (series.points().size() - 1) * load.intervalMillis();
                    store.histograms.add(new NativeHistogramSeries(family, 0, lastTime));
                }
            }
        }
    }

    /** {@code x_bucket{le=..}}, {@code x_sum}, {@code x_count} → {@code x} without {@code le}; else null. */
    private static Labels classicFamily(Labels labels) {
        String name = labels.metricName();
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                return labels.builder().set(Labels.METRIC_NAME, name.substring(0, name.length() - suffix.length()))
                        .remove("le").build();
            }
        }
        return null;
    }

    private CaseResult evaluate(String file, ScriptStore store, Eval eval, Case details) {
        if (details != null && details.mentionsNativeHistograms()) {
            return new CaseResult(file, eval.line(), eval.query(), Outcome.SKIPPED, "native histograms");
        }
        store.touchedHistograms = false;
        QueryResult result;
        try {
            result = eval.range()
                    ? engine.rangeQuery(store, eval.query(), eval.startMillis(), eval.endMillis(), eval.stepMillis(),
                            Duration.ofMinutes(1))
                    : engine.instantQuery(store, eval.query(), eval.startMillis(), Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            if (store.touchedHistograms) {
                return new CaseResult(file, eval.line(), eval.query(), Outcome.SKIPPED, "reads native histograms");
            }
            String failure = checkFailure(eval, e);
            return new CaseResult(file, eval.line(), eval.query(), failure == null ? Outcome.PASSED : Outcome.FAILED,
                    failure);
        }
        if (store.touchedHistograms) {
            return new CaseResult(file, eval.line(), eval.query(), Outcome.SKIPPED, "reads native histograms");
        }
        String failure = eval.expectation().fail() ? "expected an error, got " + describe(result.value())
                : checkResult(eval, result);
        return new CaseResult(file, eval.line(), eval.query(), failure == null ? Outcome.PASSED : Outcome.FAILED,
                failure);
    }

    private static String checkFailure(Eval eval, RuntimeException error) {
        if (!eval.expectation().fail()) {
            return "unexpected error: " + error;
        }
        String message = error.getMessage();
        if (eval.expectation().failMessage() != null && !eval.expectation().failMessage().equals(message)) {
            return "expected error message \"" + eval.expectation().failMessage() + "\", got \"" + message + "\"";
        }
        if (eval.expectation().failRegex() != null
                && !Pattern.compile(eval.expectation().failRegex()).matcher(message).find()) {
            return "expected error matching " + eval.expectation().failRegex() + ", got \"" + message + "\"";
        }
        return null;
    }

    private static String checkResult(Eval eval, QueryResult result) {
        String annotations = checkAnnotation("warn", eval.expectation().warn(), result.warnings());
        if (annotations == null) {
            annotations = checkAnnotation("info", eval.expectation().info(), result.infos());
        }
        if (annotations != null) {
            return annotations;
        }
        Value value = result.value();
        if (eval.string() != null) {
            return value instanceof Value.StringValue string && string.value().equals(eval.string()) ? null
                    : "expected string \"" + eval.string() + "\", got " + describe(value);
        }
        if (eval.scalar() != null) {
            if (!(value instanceof Value.Scalar scalar)) {
                return "expected scalar " + eval.scalar() + ", got " + describe(value);
            }
            return almostEqual(eval.scalar(), scalar.value()) ? null
                    : "expected scalar " + eval.scalar() + ", got " + scalar.value();
        }
        if (eval.range()) {
            return checkMatrix(eval, value);
        }
        return checkVector(eval, value);
    }

    private static String checkAnnotation(String kind, Annotation expected, List<String> actual) {
        if (expected == null) {
            return null;
        }
        if (!expected.present()) {
            return actual.isEmpty() ? null : "expected no " + kind + ", got " + actual;
        }
        if (actual.isEmpty()) {
            return "expected a " + kind + ", got none";
        }
        if (expected.message() != null && !actual.contains(expected.message())) {
            return "expected " + kind + " \"" + expected.message() + "\", got " + actual;
        }
        if (expected.regex() != null) {
            Pattern pattern = Pattern.compile(expected.regex());
            if (actual.stream().noneMatch(message -> pattern.matcher(message).find())) {
                return "expected " + kind + " matching " + expected.regex() + ", got " + actual;
            }
        }
        return null;
    }

    private static String checkVector(Eval eval, Value value) {
        if (!(value instanceof Value.Vector vector)) {
            if (value instanceof Value.Scalar && eval.results().isEmpty()) {
                return "expected an empty vector, got " + describe(value);
            }
            return "expected a vector, got " + describe(value);
        }
        List<SeriesData> expected = eval.results();
        if (expected.size() != vector.samples().size()) {
            return "expected " + expected.size() + " samples, got " + vector.samples().size() + ": "
                    + describe(value);
        }
        for (int i = 0; i < expected.size(); i++) {
            SeriesData want = expected.get(i);
            Labels labels = Labels.of(want.labels());
            Value.Sample found = null;
            int at = -1;
            for (int j = 0; j < vector.samples().size(); j++) {
                if (vector.samples().get(j).labels().equals(labels)) {
                    found = vector.samples().get(j);
                    at = j;
                }
            }
            if (found == null) {
                return "missing " + labels + " in " + describe(value);
            }
            if (eval.expectation().ordered() && at != i) {
                return "expected " + labels + " at position " + i + ", got it at " + at;
            }
            Point point = want.points().get(0);
            if (point.kind() != PointKind.VALUE || !almostEqual(point.value(), found.value())) {
                return "expected " + labels + " " + point.value() + ", got " + found.value();
            }
        }
        return null;
    }

    private static String checkMatrix(Eval eval, Value value) {
        if (!(value instanceof Value.Matrix matrix)) {
            return "expected a matrix, got " + describe(value);
        }
        List<SeriesData> expected = eval.results();
        if (expected.size() != matrix.series().size()) {
            return "expected " + expected.size() + " series, got " + matrix.series().size() + ": "
                    + describe(value);
        }
        for (SeriesData want : expected) {
            Labels labels = Labels.of(want.labels());
            Series found = null;
            for (Series series : matrix.series()) {
                if (series.labels().equals(labels)) {
                    found = series;
                }
            }
            if (found == null) {
                return "missing " + labels + " in " + describe(value);
            }
            List<Point> points = new ArrayList<>();
            for (Point point : want.points()) {
                if (point.kind() == PointKind.VALUE) {
                    points.add(point);
                }
            }
            if (points.size() != found.size()) {
                return labels + ": expected " + points.size() + " points, got " + found.size() + ": "
                        + describeSeries(found);
            }
            for (int i = 0; i < points.size(); i++) {
                long time = eval.startMillis() + points.get(i).index() * eval.stepMillis();
                if (found.timestampMillis(i) != time || !almostEqual(points.get(i).value(), found.value(i))) {
                    return labels + ": expected " + points.get(i).value() + " at " + time + ", got "
                            + describeSeries(found);
                }
            }
        }
        return null;
    }

    /** promqltest's comparison: equal within a relative 1e-6, NaN equal to NaN. */
    static boolean almostEqual(double expected, double actual) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return true;
        }
        if (expected == actual) {
            return true;
        }
        double absSum = Math.abs(expected) + Math.abs(actual);
        double diff = Math.abs(expected - actual);
        double minNormal = Double.MIN_NORMAL;
        if (expected == 0 || actual == 0 || absSum < minNormal) {
            return diff < 1e-6 * minNormal;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
    }

    private static String describe(Value value) {
        if (value instanceof Value.Vector vector) {
            StringBuilder text = new StringBuilder("vector[");
            for (Value.Sample sample : vector.samples()) {
                text.append(sample.labels()).append(' ').append(sample.value()).append("; ");
            }
            return text.append(']').toString();
        }
        if (value instanceof Value.Matrix matrix) {
            StringBuilder text = new StringBuilder("matrix[");
            for (Series series : matrix.series()) {
                text.append(describeSeries(series)).append("; ");
            }
            return text.append(']').toString();
        }
        return value.toString();
    }

    private static String describeSeries(Series series) {
        StringBuilder text = new StringBuilder(series.labels().toString()).append(' ');
        for (int i = 0; i < series.size() && i < 20; i++) {
            text.append(series.value(i)).append('@').append(series.timestampMillis(i)).append(' ');
        }
        return text.toString();
    }
}
