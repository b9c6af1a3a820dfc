package io.otelservices.query.prometheus.mapping;

import static io.otelservices.query.prometheus.mapping.OtlpPoints.CART;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.T0_MILLIS;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.counter;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.gauge;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.query.promql.SelectHints;
import io.otelservices.query.promql.Series;
import io.otelservices.query.promql.parser.PromQlParser;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.memory.InMemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What selections ask of storage: pushed-down filters, metric names read, and the cached catalog. */
class SelectionPushdownTest {

    private final InMemoryStorage storage = new InMemoryStorage();
    private final RecordingSeriesReader reader = new RecordingSeriesReader(storage.series());
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0_MILLIS));
    private final OtelSeriesQueryable queryable = new OtelSeriesQueryable(reader, 100, Duration.ofSeconds(5), clock);

    @Test
    void select_equalityMatchers_pushedDownWhenOneAttributeGivesTheLabel() {
        write(storage, gauge("g", 1).attribute("route", "/a").attribute("http.method", "GET"));

        List<Series> series = select("g{job=\"checkout\", instance=\"checkout-1\", route=\"/a\", "
                + "http_method=\"GET\", le=\"1\", quantile=\"0.5\", region!=\"eu\", zone=~\"a.*\", empty=\"\"}");

        assertThat(series).isEmpty(); // job is "shop/checkout", not "checkout"
        SeriesQuery query = reader.selects.get(0);
        assertThat(query.metricName()).isEqualTo("g");
        assertThat(query.serviceName()).isEqualTo("checkout");
        assertThat(query.attributes()).containsExactly(
                new AttributeFilter("service.instance.id", "checkout-1"), new AttributeFilter("route", "/a"));
        assertThat(query.hints().function()).isNull();
        assertThat(query.hints().exemplars()).isFalse();
    }

    @Test
    void select_jobWithNamespace_notPushedDownButFiltered() {
        write(storage, gauge("g", 1), gauge("g", 2).resource(CART));

        List<Series> series = select("g{job=\"shop/checkout\"}");

        assertThat(series).singleElement().satisfies(s -> assertThat(s.labels().get("job")).isEqualTo("shop/checkout"));
        assertThat(reader.selects.get(0).serviceName()).isNull();
    }

    @Test
    void select_nameMatcher_readsOnlyTheMetricsItNames() {
        write(storage, gauge("a", 1), gauge("b", 1), counter("c", 1));

        select("{__name__=~\"a|c_total\"}");

        // The catalog reads the sum "c" once to learn that it is monotonic (c_total), then the selection reads a and c.
        assertThat(reader.selects).extracting(SeriesQuery::metricName).containsExactly("c", "a", "c");
    }

    @Test
    void select_twice_catalogReadOnceWithinItsTtl() {
        write(storage, gauge("a", 1));
        select("a");
        select("a");
        assertThat(reader.metricNameCalls).hasValue(1);

        write(storage, gauge("fresh", 1));
        assertThat(select("fresh")).isEmpty();
        clock.advance(Duration.ofSeconds(6));

        assertThat(select("fresh")).hasSize(1);
        assertThat(reader.metricNameCalls).hasValue(2);
    }

    @Test
    void select_sumNotSeenBefore_shapeLearntOnceFromItsPoints() {
        write(storage, counter("c", 1));

        select("c_total");
        select("c_total");
        clock.advance(Duration.ofSeconds(6));
        select("c_total");

        // One read to learn that "c" is a monotonic sum, then one per selection.
        assertThat(reader.selects).hasSize(4);
    }

    private List<Series> select(String selector) {
        return queryable.select(new SelectHints(T0_MILLIS - 60_000, T0_MILLIS + 60_000, 0, 0, ""),
                PromQlParser.parseSeriesSelector(selector));
    }
}
