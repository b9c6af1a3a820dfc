package io.otelservices.query.promql.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus conformance script ({@code promql/promqltest} format, summarised in
 * {@code ../shared/testdata/SOURCES.md}) read into commands: loads, clears and evaluations with their expectations.
 * Reading only; evaluating them is the runner's job.
 */
record ConformanceScript(String name, List<Command> commands) {

    /** One command, with the 1-based line it starts on. */
    sealed interface Command permits Load, Clear, Eval {
        int line();
    }

    /**
     * {@code load <interval>}: each series gets its points at 0, interval, 2 × interval, ...
     *
     * @param convertClassicHistograms {@code load_with_nhcb}: classic histograms also loaded as native ones
     */
    record Load(int line, long intervalMillis, boolean convertClassicHistograms, List<SeriesData> series)
            implements Command {}

    /** {@code clear}: drop everything loaded. */
    record Clear(int line) implements Command {}

    /**
     * {@code eval instant at T query} ({@code startMillis == endMillis}, {@code stepMillis == 0}) or
     * {@code eval range from S to E step D query}, and what it must give.
     */
    record Eval(int line, String query, boolean range, long startMillis, long endMillis, long stepMillis,
            Expectation expectation, List<SeriesData> results, Double scalar, String string) implements Command {

        /** Whether the case needs native histograms, which the runner counts as skipped until they exist. */
        boolean mentionsNativeHistograms() {
            if (query.contains("{{")) {
                return true;
            }
            for (SeriesData result : results) {
                if (result.hasNativeHistograms()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param fail the query must fail; {@code failMessage} (exact) or {@code failRegex} may say how
     * @param ordered the result series must come in the given order
     * @param warn, info annotations that must ({@code present} true) or must not be there, or {@code null}
     * @param rangeVector {@code expect range vector from ...}: an instant query whose result is a range vector
     */
    record Expectation(boolean fail, String failMessage, String failRegex, boolean ordered, Annotation warn,
            Annotation info, boolean rangeVector) {}

    /** {@code expect warn}, {@code expect warn msg: ...}, {@code expect warn regex: ...}, {@code expect no_warn}. */
    record Annotation(boolean present, String message, String regex) {

        static Annotation parse(String kind, String expect) {
            if (expect.equals("no_" + kind)) {
                return new Annotation(false, null, null);
            }
            String rest = expect.substring(kind.length()).strip();
            if (rest.isEmpty()) {
                return new Annotation(true, null, null);
            }
            if (rest.startsWith("msg:")) {
                return new Annotation(true, rest.substring("msg:".length()).strip(), null);
            }
            if (rest.startsWith("regex:")) {
                return new Annotation(true, null, rest.substring("regex:".length()).strip());
            }
            throw new IllegalArgumentException("unknown expectation: expect " + expect);
        }
    }

    /** A series: its labels (the metric name under {@code __name__}) and its points, in order. */
    record SeriesData(Map<String, String> labels, List<Point> points) {
        boolean hasNativeHistograms() {
            return points.stream().anyMatch(point -> point.kind() == PointKind.HISTOGRAM);
        }
    }

    enum PointKind { VALUE, MISSING, STALE, HISTOGRAM }

    /** The point at step {@code index} (0-based); {@code histogram} holds the raw {@code {{...}}} text. */
    record Point(int index, PointKind kind, double value, String histogram) {}

    /**
     * An evaluation with what the runner needs about the data loaded before it. Native-histogram cases are counted
     * as skipped until native histograms are supported: those that {@code mentionNativeHistograms}, and, decided
     * while evaluating, those whose evaluation touches a native-histogram sample. {@code nativeHistogramsLoaded}
     * alone is too broad a rule (most float-only cases of functions.test run after histograms were loaded).
     *
     * @param mentionsNativeHistograms the query or its expected values hold native histograms
     * @param nativeHistogramsLoaded the data loaded since the last {@code clear} holds native histograms, or was
     *     loaded with {@code load_with_nhcb}
     */
    record Case(Eval eval, boolean mentionsNativeHistograms, boolean nativeHistogramsLoaded) {}

    /** The evaluations in order, each with what it needs of native histograms. */
    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        boolean loadedHistograms = false;
        for (Command command : commands) {
            if (command instanceof Clear) {
                loadedHistograms = false;
            } else if (command instanceof Load load) {
                loadedHistograms |= load.convertClassicHistograms()
                        || load.series().stream().anyMatch(SeriesData::hasNativeHistograms);
            } else if (command instanceof Eval eval) {
                cases.add(new Case(eval, eval.mentionsNativeHistograms(), loadedHistograms));
            }
        }
        return cases;
    }

    private static final Pattern EVAL_INSTANT = Pattern.compile("(eval(?:_fail|_warn|_info|_ordered)?) instant at (\\S+) (.+)");
    private static final Pattern EVAL_RANGE =
            Pattern.compile("(eval(?:_fail|_warn|_info|_ordered)?) range from (\\S+) to (\\S+) step (\\S+) (.+)");

    static ConformanceScript read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readAllLines(file));
    }

    static ConformanceScript parse(String name, List<String> lines) {
        List<Command> commands = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i).strip();
            int lineNumber = i + 1;
            i++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> body = new ArrayList<>();
            while (i < lines.size() && isIndented(lines.get(i))) {
                String indented = lines.get(i).strip();
                if (!indented.isEmpty() && !indented.startsWith("#")) {
                    body.add(indented);
                }
                i++;
            }
            try {
                commands.add(command(lineNumber, line, body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return new ConformanceScript(name, List.copyOf(commands));
    }

    private static boolean isIndented(String line) {
        return !line.isEmpty() && Character.isWhitespace(line.charAt(0));
    }

    private static Command command(int line, String text, List<String> body) {
        if (text.equals("clear")) {
            return new Clear(line);
        }
        if (text.startsWith("load ") || text.startsWith("load_with_nhcb ")) {
            long interval = Durations.parseMillis(text.substring(text.indexOf(' ') + 1).strip());
            List<SeriesData> series = new ArrayList<>();
            for (String entry : body) {
                series.add(seriesLine(entry));
            }
            return new Load(line, interval, text.startsWith("load_with_nhcb"), List.copyOf(series));
        }
        Matcher instant = EVAL_INSTANT.matcher(text);
        Matcher range = EVAL_RANGE.matcher(text);
        if (instant.matches()) {
            long at = Durations.parseMillis(instant.group(2));
            return eval(line, instant.group(1), instant.group(3), false, at, at, 0, body);
        }
        if (range.matches()) {
            return eval(line, range.group(1), range.group(5), true, Durations.parseMillis(range.group(2)),
                    Durations.parseMillis(range.group(3)), Durations.parseMillis(range.group(4)), body);
        }
        throw new IllegalArgumentException("unknown command: " + text);
    }

    private static Eval eval(int line, String verb, String query, boolean isRange, long start, long end, long step,
            List<String> body) {
        boolean fail = verb.equals("eval_fail");
        String failMessage = null;
        String failRegex = null;
        boolean ordered = verb.equals("eval_ordered");
        Annotation warn = verb.equals("eval_warn") ? new Annotation(true, null, null) : null;
        Annotation info = verb.equals("eval_info") ? new Annotation(true, null, null) : null;
        boolean rangeVector = false;
        List<SeriesData> results = new ArrayList<>();
        Double scalar = null;
        String string = null;
        for (String entry : body) {
            if (entry.startsWith("expect ")) {
                String expect = entry.substring("expect ".length()).strip();
                if (expect.equals("fail")) {
                    fail = true;
                } else if (expect.startsWith("fail msg:")) {
                    fail = true;
                    failMessage = expect.substring("fail msg:".length()).strip();
                } else if (expect.startsWith("fail regex:")) {
                    fail = true;
                    failRegex = expect.substring("fail regex:".length()).strip();
                } else if (expect.equals("ordered")) {
                    ordered = true;
                } else if (expect.startsWith("warn") || expect.equals("no_warn")) {
                    warn = Annotation.parse("warn", expect);
                } else if (expect.startsWith("info") || expect.equals("no_info")) {
                    info = Annotation.parse("info", expect);
                } else if (expect.startsWith("range vector")) {
                    rangeVector = true;
                } else if (expect.startsWith("string ")) {
                    string = SeriesText.unquote(expect.substring("string ".length()).strip());
                } else {
                    throw new IllegalArgumentException("unknown expectation: " + entry);
                }
            } else if (Values.isNumber(entry)) {
                scalar = Values.parseNumber(entry);
            } else {
                results.add(seriesLine(entry));
            }
        }
        return new Eval(line, query, isRange, start, end, step, new Expectation(fail, failMessage, failRegex,
                ordered, warn, info, rangeVector), List.copyOf(results), scalar, string);
    }

    /** {@code selector  values}: the series text ends where its braces close (or at the first space without any). */
    private static SeriesData seriesLine(String entry) {
        int end = SeriesText.end(entry);
        Map<String, String> labels = SeriesText.parse(entry.substring(0, end));
        return new SeriesData(labels, Values.expand(entry.substring(end).strip()));
    }
}
