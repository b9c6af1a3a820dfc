package io.otelservices.query.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otelservices.query.promql.conformance.ConformanceScript.Clear;
import io.otelservices.query.promql.conformance.ConformanceScript.Eval;
import io.otelservices.query.promql.conformance.ConformanceScript.Load;
import io.otelservices.query.promql.conformance.ConformanceScript.Point;
import io.otelservices.query.promql.conformance.ConformanceScript.PointKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reading Prometheus' conformance scripts: the notation, and every script in ../shared/testdata/promql. */
class ConformanceScriptTest {

    /** The scripts, read from the shared test data (never copied into the project). */
    static final Path SCRIPTS = Path.of("..", "..", "..", "shared", "testdata", "promql");

    @Test
    void values_expandTheNotation() {
        assertThat(values("0+10x3")).containsExactly(0.0, 10.0, 20.0, 30.0);
        assertThat(values("5-2x2")).containsExactly(5.0, 3.0, 1.0);
        assertThat(values("-1-1x2")).containsExactly(-1.0, -2.0, -3.0);
        assertThat(values("7x2")).containsExactly(7.0, 7.0, 7.0);
        assertThat(values("1 NaN Inf -Inf 1e3 .5")).containsExactly(1.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1000.0, 0.5);

        List<Point> gaps = Values.expand("1 _x2 stale 4");
        assertThat(gaps).extracting(Point::kind).containsExactly(PointKind.VALUE, PointKind.MISSING,
                PointKind.MISSING, PointKind.STALE, PointKind.VALUE);
        assertThat(gaps).extracting(Point::index).containsExactly(0, 1, 2, 3, 4);

        List<Point> histograms = Values.expand("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}x2 3");
        assertThat(histograms).extracting(Point::kind).containsExactly(PointKind.HISTOGRAM, PointKind.HISTOGRAM,
                PointKind.HISTOGRAM, PointKind.VALUE);
        assertThatThrownBy(() -> Values.expand("1 two")).hasMessageContaining("not a value: two");
    }

    @Test
    void series_labelsWithNameAndEscapes() {
        assertThat(SeriesText.parse("http_requests{job=\"api\", instance=\"0\"}"))
                .isEqualTo(Map.of("__name__", "http_requests", "job", "api", "instance", "0"));
        assertThat(SeriesText.parse("{__name__=\"up\",a=\"x \\\"q\\\" y\\n\"}"))
                .isEqualTo(Map.of("__name__", "up", "a", "x \"q\" y\n"));
        assertThat(SeriesText.parse("up")).isEqualTo(Map.of("__name__", "up"));
        assertThat(SeriesText.unquote("`a\\b`")).isEqualTo("a\\b");
        assertThat(SeriesText.unquote("'it\\'s'")).isEqualTo("it's");
        assertThat(SeriesText.parse("{}")).isEmpty();
        assertThat(SeriesText.end("foo{a=\"} \"} 1 2")).isEqualTo("foo{a=\"} \"}".length());
        assertThatThrownBy(() -> SeriesText.parse("foo{a=\"x}")).hasMessageContaining("unclosed");
    }

    @Test
    void durations() {
        assertThat(Durations.parseMillis("0")).isZero();
        assertThat(Durations.parseMillis("50m")).isEqualTo(3_000_000);
        assertThat(Durations.parseMillis("1h30m")).isEqualTo(5_400_000);
        assertThat(Durations.parseMillis("10s53ms")).isEqualTo(10_053);
        assertThat(Durations.parseMillis("-5m")).isEqualTo(-300_000);
        assertThatThrownBy(() -> Durations.parseMillis("5x")).hasMessageContaining("not a duration");
    }

    @Test
    void script_commandsAndExpectations() {
        ConformanceScript script = ConformanceScript.parse("example.test", List.of(
                "# a comment",
                "load 5m",
                "  up{job=\"a\"} 0+1x2",
                "\tup{job=\"b\"} 1 _ 3",
                "",
                "eval instant at 10m sum(up)",
                "  expect no_info",
                "  expect warn regex: PromQL warning: .* \\([0-9]+:[0-9]+\\)",
                "  {} 5",
                "",
                "eval range from 0 to 10m step 5m up",
                "  expect ordered",
                "  up{job=\"a\"} 0 1 2",
                "eval_fail instant at 0 -{job=\"api\"}",
                "  expect fail msg: unary expression only allowed on expressions",
                "eval instant at 0 1.5",
                "  1.5",
                "clear"));
        assertThat(script.commands()).hasSize(6);
        Load load = (Load) script.commands().get(0);
        assertThat(load.intervalMillis()).isEqualTo(300_000);
        assertThat(load.series()).hasSize(2);
        assertThat(load.series().get(1).points()).extracting(Point::kind)
                .containsExactly(PointKind.VALUE, PointKind.MISSING, PointKind.VALUE);

        Eval instant = (Eval) script.commands().get(1);
        assertThat(instant.line()).isEqualTo(6);
        assertThat(instant.query()).isEqualTo("sum(up)");
        assertThat(instant.startMillis()).isEqualTo(600_000);
        assertThat(instant.expectation().info().present()).isFalse();
        assertThat(instant.expectation().warn().regex()).isEqualTo("PromQL warning: .* \\([0-9]+:[0-9]+\\)");
        assertThat(instant.results()).singleElement().satisfies(r -> assertThat(r.labels()).isEmpty());

        Eval range = (Eval) script.commands().get(2);
        assertThat(range.range()).isTrue();
        assertThat(range.stepMillis()).isEqualTo(300_000);
        assertThat(range.expectation().ordered()).isTrue();

        Eval failing = (Eval) script.commands().get(3);
        assertThat(failing.expectation().fail()).isTrue();
        assertThat(failing.expectation().failMessage()).isEqualTo("unary expression only allowed on expressions");
        assertThat(((Eval) script.commands().get(4)).scalar()).isEqualTo(1.5);
        assertThat(script.commands().get(5)).isInstanceOf(Clear.class);

        assertThat(script.cases()).extracting(ConformanceScript.Case::nativeHistogramsLoaded).containsOnly(false);
        ConformanceScript histograms = ConformanceScript.parse("h.test", List.of(
                "load 1m",
                "  h {{schema:0 sum:1 count:1}}",
                "eval instant at 0 h",
                "  h {{schema:0 sum:1 count:1}}",
                "eval instant at 0 count(h)",
                "  {} 1",
                "clear",
                "load_with_nhcb 1m",
                "  c_bucket{le=\"1\"} 1",
                "eval instant at 0 c_bucket",
                "  c_bucket{le=\"1\"} 1",
                "clear",
                "load 1m",
                "  x 1",
                "eval instant at 0 x",
                "  x 1"));
        assertThat(histograms.cases()).extracting(ConformanceScript.Case::mentionsNativeHistograms)
                .containsExactly(true, false, false, false);
        assertThat(histograms.cases()).extracting(ConformanceScript.Case::nativeHistogramsLoaded)
                .containsExactly(true, true, true, false);

        assertThatThrownBy(() -> ConformanceScript.parse("bad.test", List.of("evaluate at 0 up")))
                .hasMessageContaining("bad.test:1: unknown command");
    }

    @Test
    void everySharedScript_reads() throws IOException {
        assumeTrue(Files.isDirectory(SCRIPTS), "the conformance scripts are in ../shared/testdata/promql (expected "
                + "next to the project checkout; see ../shared/testdata/SOURCES.md)");
        int total = 0;
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".test")).sorted().toList()) {
                ConformanceScript script = ConformanceScript.read(file);
                long evals = script.cases().size();
                long mention = script.cases().stream().filter(ConformanceScript.Case::mentionsNativeHistograms)
                        .count();
                long loaded = script.cases().stream().filter(ConformanceScript.Case::nativeHistogramsLoaded).count();
                System.out.printf("%-22s %4d evaluations, %4d mention native histograms, %4d run after some were "
                        + "loaded%n", script.name(), evals, mention, loaded);
                assertThat(evals).as(script.name()).isPositive();
                total += (int) evals;
            }
        }
        // 966 instant + 169 range + 3 eval_fail evaluations at the pinned commit (SOURCES.md).
        assertThat(total).isEqualTo(1138);
    }

    private static List<Double> values(String text) {
        return Values.expand(text).stream().map(Point::value).toList();
    }
}
