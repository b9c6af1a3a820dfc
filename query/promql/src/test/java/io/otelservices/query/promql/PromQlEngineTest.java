package io.otelservices.query.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromQlEngineTest {

    private static final long MINUTE = 60_000;

    private final PromQlEngine engine = new PromQlEngine(EngineOptions.DEFAULT);
    private final InMemoryQueryable store = new InMemoryQueryable();

    @BeforeEach
    void load() {
        // A counter scraped every minute for an hour, on two instances.
        for (int i = 0; i <= 60; i++) {
            store.add(Labels.of("__name__", "requests_total", "job", "api", "instance", "a"), i * MINUTE, i * 60.0);
            store.add(Labels.of("__name__", "requests_total", "job", "api", "instance", "b"), i * MINUTE, i * 120.0);
        }
        // A gauge that goes stale at 10m.
        store.add(Labels.of("__name__", "temperature"), 0, 20);
        store.add(Labels.of("__name__", "temperature"), 5 * MINUTE, 21);
        store.add(Labels.of("__name__", "temperature"), 10 * MINUTE, Series.STALE_NAN);
    }

    @Test
    void instantQuery_rateSummedByJob() {
        QueryResult result = engine.instantQuery(store, "sum by (job) (rate(requests_total[5m]))", 30 * MINUTE,
                null);
        Value.Vector vector = (Value.Vector) result.value();
        assertThat(vector.samples()).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).isEqualTo(Labels.of("job", "api"));
            assertThat(sample.value()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(sample.timeMillis()).isEqualTo(30 * MINUTE);
        });
        assertThat(result.samplesRead()).isEqualTo(10);
    }

    @Test
    void instantQuery_staleMarkerEndsTheSeriesBeforeTheLookbackDoes() {
        assertThat(((Value.Vector) engine.instantQuery(store, "temperature", 9 * MINUTE, null).value()).samples())
                .extracting(Value.Sample::value).containsExactly(21.0);
        assertThat(((Value.Vector) engine.instantQuery(store, "temperature", 10 * MINUTE, null).value()).samples())
                .isEmpty();
    }

    @Test
    void instantQuery_lookbackWindowIsOpenOnTheLeft() {
        // The window is (t - 5m, t]: a sample at 0 is seen up to just before 5m, not at 5m.
        store.add(Labels.of("__name__", "pressure"), 0, 1);
        assertThat(((Value.Vector) engine.instantQuery(store, "pressure", 5 * MINUTE - 1, null).value()).samples())
                .hasSize(1);
        assertThat(((Value.Vector) engine.instantQuery(store, "pressure", 5 * MINUTE, null).value()).samples())
                .isEmpty();
    }

    @Test
    void instantQuery_rangeVectorGivesAMatrix() {
        Value value = engine.instantQuery(store, "requests_total{instance=\"a\"}[3m]", 10 * MINUTE, null).value();
        assertThat(value).isInstanceOfSatisfying(Value.Matrix.class, matrix -> {
            Series series = matrix.series().get(0);
            assertThat(series.size()).isEqualTo(3);
            assertThat(series.timestampMillis(0)).isEqualTo(8 * MINUTE);
        });
    }

    @Test
    void rangeQuery_scalarBecomesOneSeriesWithoutLabels() {
        Value.Matrix matrix = (Value.Matrix) engine.rangeQuery(store, "time()", 0, 2 * MINUTE, MINUTE, null).value();
        assertThat(matrix.series()).singleElement().satisfies(series -> {
            assertThat(series.labels()).isEqualTo(Labels.EMPTY);
            assertThat(series.size()).isEqualTo(3);
            assertThat(series.value(2)).isEqualTo(120.0);
        });
    }

    @Test
    void rangeQuery_seriesSortedAndNameDroppedByFunctions() {
        Value.Matrix matrix = (Value.Matrix) engine.rangeQuery(store, "irate(requests_total[2m])", 10 * MINUTE,
                20 * MINUTE, MINUTE, null).value();
        assertThat(matrix.series()).extracting(series -> series.labels().get("instance")).containsExactly("a", "b");
        assertThat(matrix.series()).allSatisfy(series -> {
            assertThat(series.labels().metricName()).isEmpty();
            assertThat(series.size()).isEqualTo(11);
        });
    }

    @Test
    void rangeQuery_badArguments() {
        assertThatThrownBy(() -> engine.rangeQuery(store, "up", 0, MINUTE, 0, null))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.category()).isEqualTo(QueryException.Category.BAD_DATA));
        assertThatThrownBy(() -> engine.rangeQuery(store, "up[5m]", 0, MINUTE, MINUTE, null))
                .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar or instant "
                        + "Vector");
        assertThatThrownBy(() -> engine.rangeQuery(store, "up", MINUTE, 0, MINUTE, null))
                .hasMessage("end timestamp must not be before start time");
    }

    @Test
    void query_tooManySamples_executionError() {
        PromQlEngine small = new PromQlEngine(EngineOptions.DEFAULT.withMaxSamples(50));
        assertThatThrownBy(() -> small.instantQuery(store, "sum_over_time(requests_total[1h])", 60 * MINUTE, null))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.category()).isEqualTo(QueryException.Category.EXECUTION);
                    assertThat(e).hasMessage(
                            "query processing would load too many samples into memory in query execution");
                });
    }

    @Test
    void query_pastItsDeadline_timeout() {
        Queryable slow = new Queryable() {
            @Override
            public List<Series> select(SelectHints hints, List<LabelMatcher> matchers) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return store.select(hints, matchers);
            }

            @Override
            public List<Labels> series(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
                return List.of();
            }

            @Override
            public List<String> labelNames(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, long startMillis, long endMillis,
                    List<LabelMatcher> matchers, int limit) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> engine.instantQuery(slow, "requests_total", MINUTE, Duration.ofMillis(10)))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.category()).isEqualTo(QueryException.Category.TIMEOUT));
    }

    @Test
    void query_infoForRateOfANonCounter() {
        store.add(Labels.of("__name__", "queue_length"), 0, 1);
        store.add(Labels.of("__name__", "queue_length"), MINUTE, 2);
        QueryResult result = engine.instantQuery(store, "rate(queue_length[5m])", MINUTE, null);
        assertThat(result.infos()).containsExactly("PromQL info: metric might not be a counter, name does not end in "
                + "_total/_sum/_count/_bucket: \"queue_length\" (1:6)");
    }
}
