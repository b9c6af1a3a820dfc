package io.otelservices.query.promql;

import io.otelservices.query.promql.Evaluated.Text;
import io.otelservices.query.promql.Evaluated.Vectors;
import io.otelservices.query.promql.parser.Expr.Call;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace, label_join and the sort functions. */
final class LabelFunctions {

    private LabelFunctions() {}

    static Evaluated labelReplace(Evaluation evaluation, Call call) {
        List<StepSeries> input = Functions.vectors(evaluation, call.args().get(0));
        String destination = text(evaluation, call, 1);
        String replacement = text(evaluation, call, 2);
        String source = text(evaluation, call, 3);
        String regex = text(evaluation, call, 4);
        Pattern pattern;
        try {
            pattern = Pattern.compile(RegexTranslation.toJava(regex), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new QueryException(QueryException.Category.EXECUTION,
                    "invalid regular expression in label_replace(): " + regex);
        }
        if (!isValidLabelName(destination)) {
            throw new QueryException(QueryException.Category.EXECUTION,
                    "invalid destination label name in label_replace(): " + destination);
        }
        return relabel(evaluation, input, labels -> {
            Matcher matcher = pattern.matcher(labels.get(source));
            if (!matcher.matches()) {
                return labels;
            }
            return labels.builder().set(destination, expand(replacement, matcher)).build();
        });
    }

    static Evaluated labelJoin(Evaluation evaluation, Call call) {
        List<StepSeries> input = Functions.vectors(evaluation, call.args().get(0));
        String destination = text(evaluation, call, 1);
        String separator = text(evaluation, call, 2);
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < call.args().size(); i++) {
            String source = text(evaluation, call, i);
            if (!isValidLabelName(source)) {
                throw new QueryException(QueryException.Category.EXECUTION,
                        "invalid source label name in label_join(): " + source);
            }
            sources.add(source);
        }
        if (!isValidLabelName(destination)) {
            throw new QueryException(QueryException.Category.EXECUTION,
                    "invalid destination label name in label_join(): " + destination);
        }
        return relabel(evaluation, input, labels -> {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    joined.append(separator);
                }
                joined.append(labels.get(sources.get(i)));
            }
            return labels.builder().set(destination, joined.toString()).build();
        });
    }

    private interface Relabeling {
        Labels apply(Labels labels);
    }

    private static Vectors relabel(Evaluation evaluation, List<StepSeries> input, Relabeling relabeling) {
        SeriesCollector collector = new SeriesCollector(evaluation.stepCount);
        for (StepSeries series : input) {
            Labels labels = relabeling.apply(series.labels);
            SeriesCollector.Entry entry = collector.entry(labels);
            for (int i = 0; i < series.size; i++) {
                collector.add(entry, series.steps[i], series.values[i]);
            }
        }
        return new Vectors(collector.series());
    }

    private static String text(Evaluation evaluation, Call call, int index) {
        return ((Text) evaluation.eval(call.args().get(index))).value();
    }

    /** Prometheus 3 accepts any non-empty UTF-8 label name. */
    static boolean isValidLabelName(String name) {
        return !name.isEmpty() && name.indexOf('\uFFFD') < 0;
    }

    /**
     * Go's regexp template expansion: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; a name
     * takes as many letters, digits and underscores as follow, and an unknown group expands to nothing.
     */
    static String expand(String template, Matcher matcher) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && (Character.isLetterOrDigit(template.charAt(end))
                        || template.charAt(end) == '_')) {
                    end++;
                }
                name = template.substring(i + 1, end);
            }
            if (name.isEmpty()) {
                out.append(c);
                i++;
                continue;
            }
            out.append(group(matcher, name));
            i = end;
        }
        return out.toString();
    }

    private static String group(Matcher matcher, String name) {
        String value = null;
        try {
            if (name.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(name);
                if (index <= matcher.groupCount()) {
                    value = matcher.group(index);
                }
            } else {
                value = matcher.group(name);
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            value = null;
        }
        return value == null ? "" : value;
    }

    /** sort, sort_desc (by value, NaN last) and sort_by_label(_desc); only an instant query's order shows. */
    static Evaluated sort(Evaluation evaluation, Call call) {
        String name = call.function().name();
        List<StepSeries> input = new ArrayList<>(Functions.vectors(evaluation, call.args().get(0)));
        Comparator<StepSeries> order;
        if (name.startsWith("sort_by_label")) {
            List<String> labels = new ArrayList<>();
            for (int i = 1; i < call.args().size(); i++) {
                labels.add(text(evaluation, call, i));
            }
            Comparator<StepSeries> byLabels = (a, b) -> {
                for (String label : labels) {
                    int compared = naturalCompare(a.labels.get(label), b.labels.get(label));
                    if (compared != 0) {
                        return compared;
                    }
                }
                return a.labels.compareTo(b.labels);
            };
            order = name.endsWith("_desc") ? byLabels.reversed() : byLabels;
        } else {
            boolean descending = name.equals("sort_desc");
            order = (a, b) -> {
                double x = a.size > 0 ? a.values[0] : Double.NaN;
                double y = b.size > 0 ? b.values[0] : Double.NaN;
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
                }
                return descending ? Double.compare(y, x) : Double.compare(x, y);
            };
        }
        input.sort(order);
        return new Vectors(input);
    }

    /** Compares digit runs by number and everything else by character, so {@code a2} sorts before {@code a10}. */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int startI = i;
                int startJ = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String left = a.substring(startI, i).replaceFirst("^0+(?=.)", "");
                String right = b.substring(startJ, j).replaceFirst("^0+(?=.)", "");
                if (left.length() != right.length()) {
                    return Integer.compare(left.length(), right.length());
                }
                int compared = left.compareTo(right);
                if (compared != 0) {
                    return compared;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
