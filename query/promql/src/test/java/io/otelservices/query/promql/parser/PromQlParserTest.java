package io.otelservices.query.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.parser.Expr.AggregateExpr;
import io.otelservices.query.promql.parser.Expr.BinaryExpr;
import io.otelservices.query.promql.parser.Expr.Cardinality;
import io.otelservices.query.promql.parser.Expr.MatrixSelector;
import io.otelservices.query.promql.parser.Expr.NumberLiteral;
import io.otelservices.query.promql.parser.Expr.SubqueryExpr;
import io.otelservices.query.promql.parser.Expr.UnaryExpr;
import io.otelservices.query.promql.parser.Expr.VectorSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PromQlParserTest {

    private static final Path SCRIPTS = Path.of("..", "..", "..", "shared", "testdata", "promql");
    private static final Pattern EVAL = Pattern.compile(
            "^eval(?:_\\w+)? (?:instant at \\S+|range from \\S+ to \\S+ step \\S+) (.+)$");

    @Test
    void parse_selectorWithModifiers() {
        Expr expr = PromQlParser.parse("http_requests_total{job=~\"api.*\", code!=\"500\"}[5m] offset 1h @ 100");
        assertThat(expr).isInstanceOf(MatrixSelector.class);
        MatrixSelector matrix = (MatrixSelector) expr;
        assertThat(matrix.rangeMillis()).isEqualTo(300_000);
        VectorSelector selector = matrix.selector();
        assertThat(selector.name()).isEqualTo("http_requests_total");
        assertThat(selector.offsetMillis()).isEqualTo(3_600_000);
        assertThat(selector.atMillis()).isEqualTo(100_000);
        assertThat(selector.matchers()).extracting(LabelMatcher::toString)
                .containsExactly("__name__=\"http_requests_total\"", "job=~\"api.*\"", "code!=\"500\"");
        assertThat(expr.toString())
                .isEqualTo("http_requests_total{job=~\"api.*\", code!=\"500\"}[5m] @ 100.000 offset 1h");
    }

    @Test
    void parse_precedenceAndAssociativity() {
        assertThat(PromQlParser.parse("1 + 2 * 3")).isInstanceOfSatisfying(BinaryExpr.class,
                binary -> assertThat(binary.op()).isEqualTo(BinaryOp.ADD));
        BinaryExpr power = (BinaryExpr) PromQlParser.parse("2 ^ 3 ^ 2");
        assertThat(power.rhs()).isInstanceOf(BinaryExpr.class);
        // Unary minus binds less tightly than ^.
        assertThat(PromQlParser.parse("-a ^ 2")).isInstanceOfSatisfying(UnaryExpr.class,
                unary -> assertThat(unary.expr()).isInstanceOf(BinaryExpr.class));
        assertThat(PromQlParser.parse("-1")).isInstanceOfSatisfying(NumberLiteral.class,
                number -> assertThat(number.value()).isEqualTo(-1));
        BinaryExpr or = (BinaryExpr) PromQlParser.parse("a or b and c");
        assertThat(or.op()).isEqualTo(BinaryOp.OR);
        assertThat(or.matching().cardinality()).isEqualTo(Cardinality.MANY_TO_MANY);
    }

    @Test
    void parse_vectorMatchingAndAggregations() {
        BinaryExpr binary = (BinaryExpr) PromQlParser.parse("a / on (job) group_left (instance) b");
        assertThat(binary.matching().on()).isTrue();
        assertThat(binary.matching().labels()).containsExactly("job");
        assertThat(binary.matching().cardinality()).isEqualTo(Cardinality.MANY_TO_ONE);
        assertThat(binary.matching().include()).containsExactly("instance");

        AggregateExpr topk = (AggregateExpr) PromQlParser.parse("topk(3, sum(rate(x[5m])) by (job))");
        assertThat(topk.param()).isInstanceOf(NumberLiteral.class);
        assertThat(((AggregateExpr) topk.expr()).grouping()).containsExactly("job");
        assertThat(topk.toString()).isEqualTo("topk(3, sum by (job) (rate(x[5m])))");

        SubqueryExpr subquery = (SubqueryExpr) PromQlParser.parse("rate(x[1m])[1h:5m] offset 10m");
        assertThat(subquery.rangeMillis()).isEqualTo(3_600_000);
        assertThat(subquery.stepMillis()).isEqualTo(300_000);
        assertThat(subquery.offsetMillis()).isEqualTo(600_000);
    }

    @Test
    void parse_badQueries_prometheusMessagesWithPositions() {
        assertError("sum(x", "1:6: parse error: unclosed left parenthesis");
        assertError("up{", "1:4: parse error: unexpected end of input inside braces");
        assertError("up[5m", "1:6: parse error: unclosed left bracket");
        assertError("up{a=1}", "1:6: parse error: unexpected character inside braces: '1'");
        assertError(")", "1:2: parse error: unexpected right parenthesis ')'");
        assertError("rate(x)", "1:6: parse error: expected type range vector in call to function \"rate\", got "
                + "instant vector");
        assertError("{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher");
        assertError("1 > 2", "1:1: parse error: comparisons between scalars must use BOOL modifier");
        assertError("nosuch(x)", "1:1: parse error: unknown function with name \"nosuch\"");
        assertError("x[5m][1m]", "1:1: parse error: ranges only allowed for vector selectors");
        assertError("1 and x", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression");
        assertError("x{a=~\"(\"}", "1:1: parse error: error parsing regexp: Unclosed group: `(`");
        assertError("", "1:1: parse error: no expression found in input");
        assertError("foo\n  + )", "2:6: parse error: unexpected right parenthesis ')'");
        assertThatThrownBy(() -> PromQlParser.parse("x ! y"))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.category()).isEqualTo(QueryException.Category.BAD_DATA);
                    assertThat(e.position().start()).isEqualTo(2);
                });
    }

    @Test
    void parseSeriesSelector_onlySelectors() {
        assertThat(PromQlParser.parseSeriesSelector("up{job=\"a\"}")).hasSize(2);
        assertThatThrownBy(() -> PromQlParser.parseSeriesSelector("rate(up[5m])"))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void numbersAndDurations() {
        assertThat(Numbers.format(1)).isEqualTo("1");
        assertThat(Numbers.format(0.1)).isEqualTo("0.1");
        assertThat(Numbers.format(1e20)).isEqualTo("100000000000000000000");
        assertThat(Numbers.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Numbers.parse("0x1F")).isEqualTo(31);
        assertThat(Durations.parseMillis("1h30m")).isEqualTo(5_400_000);
        assertThat(Durations.format(5_400_000)).isEqualTo("1h30m");
        assertThat(Durations.format(8 * 86_400_000L)).isEqualTo("1w1d");
        assertThatThrownBy(() -> Durations.parseMillis("30m1h")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every query of the conformance scripts that parses prints to text that parses back to the same text. */
    @Test
    void parse_printParse_roundTripsEveryConformanceQuery() throws IOException {
        assumeTrue(Files.isDirectory(SCRIPTS), "the conformance scripts are in ../shared/testdata/promql");
        List<String> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".test")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher matcher = EVAL.matcher(line.strip());
                    if (matcher.matches()) {
                        queries.add(matcher.group(1));
                    }
                }
            }
        }
        int parsed = 0;
        List<String> mismatches = new ArrayList<>();
        for (String query : queries) {
            Expr expr;
            try {
                expr = PromQlParser.parse(query);
            } catch (ParseException e) {
                continue;
            }
            parsed++;
            String printed = expr.toString();
            String reprinted = PromQlParser.parse(printed).toString();
            if (!printed.equals(reprinted)) {
                mismatches.add(query + " -> " + printed + " -> " + reprinted);
            }
        }
        assertThat(parsed).isGreaterThan(1000);
        assertThat(mismatches).isEmpty();
    }

    private static void assertError(String query, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(query)).isInstanceOf(ParseException.class).hasMessage(message);
    }
}
