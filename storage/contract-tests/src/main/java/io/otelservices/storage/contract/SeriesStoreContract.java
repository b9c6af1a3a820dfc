package io.otelservices.storage.contract;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.gauge;
import static io.otelservices.storage.contract.StorageFixtures.point;
import static io.otelservices.storage.contract.StorageFixtures.points;
import static io.otelservices.storage.contract.StorageFixtures.resource;
import static io.otelservices.storage.contract.StorageFixtures.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What every backend must do with metric points: all five types round trip, series identity, order, limits. */
public abstract class SeriesStoreContract extends StorageContract {

    private static final TimeRange HOUR = new TimeRange(BASE_NANOS, BASE_NANOS + 3_600 * SECOND);

    @Test
    public void select_everyValueType_roundTripsEveryField() {
        List<MetricPoint> written = List.of(
                point("queue.depth", BASE_NANOS + SECOND, gauge(17.25)).unit("{message}").build(),
                point("http.server.requests", BASE_NANOS + SECOND, sum(1024)).unit("{request}").build(),
                point("http.server.request.duration", BASE_NANOS + SECOND, StorageFixtures.histogram()).build(),
                point("http.server.request.duration", BASE_NANOS + 2 * SECOND,
                        StorageFixtures.histogramWithoutMinMax()).build(),
                point("rpc.latency", BASE_NANOS + SECOND, StorageFixtures.exponentialHistogram()).build(),
                point("rpc.latency", BASE_NANOS + 2 * SECOND, StorageFixtures.exponentialHistogramWithoutMinMax())
                        .exemplars(List.of()).build(),
                point("gc.pause", BASE_NANOS + SECOND, StorageFixtures.summary()).unit("s").flags(1).build(),
                point("delta.counter", BASE_NANOS + SECOND,
                        new MetricValue.Sum(-2.5, AggregationTemporality.DELTA, false)).build(),
                point("odd.gauge", BASE_NANOS + SECOND, gauge(Double.NaN)).build(),
                point("odd.gauge", BASE_NANOS + 2 * SECOND, gauge(Double.NEGATIVE_INFINITY)).build());
        write(points(1, written));

        for (String metricName : List.of("queue.depth", "http.server.requests", "http.server.request.duration",
                "rpc.latency", "gc.pause", "delta.counter", "odd.gauge")) {
            List<MetricPoint> ofMetric = written.stream().filter(p -> p.metricName().equals(metricName)).toList();
            List<MetricSeries> series = select(query(metricName));
            assertThat(series).as(metricName).usingRecursiveComparison(EXACTLY).isEqualTo(List.of(seriesOf(ofMetric)));
        }
    }

    @Test
    public void select_valuesOnlyHint_samePointsWithoutNeedingExemplars() {
        List<MetricPoint> written = List.of(
                point("http.server.request.duration", BASE_NANOS + SECOND, StorageFixtures.histogram()).build(),
                point("http.server.request.duration", BASE_NANOS + 2 * SECOND,
                        StorageFixtures.histogramWithoutMinMax()).description("later").build());
        write(points(1, written));

        List<MetricSeries> full = select(query("http.server.request.duration"));
        List<MetricSeries> valuesOnly = select(new SeriesQuery("http.server.request.duration", null, List.of(), HOUR,
                100, SeriesHints.VALUES_ONLY));

        // A backend may drop exemplars under the hint; everything else is the same.
        assertThat(valuesOnly).usingRecursiveComparison(EXACTLY).ignoringFields("points.exemplars").isEqualTo(full);
        assertThat(valuesOnly).singleElement().satisfies(s -> assertThat(s.metricDescription()).isEqualTo("later"));
    }

    @Test
    public void select_twoAttributeSets_twoSeriesSortedByAttributes() {
        write(points(1, List.of(
                point("requests", BASE_NANOS + 2 * SECOND, sum(2)).attribute("http.route", "/b").build(),
                point("requests", BASE_NANOS + SECOND, sum(1)).attribute("http.route", "/b").build(),
                point("requests", BASE_NANOS + SECOND, sum(5)).attribute("http.route", "/a").build())));

        List<MetricSeries> series = select(query("requests"));

        assertThat(series).hasSize(2);
        assertThat(series).extracting(s -> s.attributes().get("http.route")).containsExactly("/a", "/b");
        assertThat(series.get(1).points()).extracting(p -> ((MetricValue.Sum) p.value()).value())
                .containsExactly(1.0, 2.0);
    }

    @Test
    public void select_sortOrder_serviceThenAttributesThenTheRest() {
        List<MetricPoint> written = new ArrayList<>();
        written.add(point("m", BASE_NANOS, gauge(1)).service("b-svc").attributes(Map.of("k", "1")).build());
        written.add(point("m", BASE_NANOS, gauge(2)).service("a-svc").attributes(Map.of("k", "2")).build());
        written.add(point("m", BASE_NANOS, gauge(3)).service("a-svc").attributes(Map.of("k", "1", "z", "0"))
                .build());
        written.add(point("m", BASE_NANOS, gauge(4)).service("a-svc").attributes(Map.of("k", "1")).build());
        written.add(point("m", BASE_NANOS, gauge(5)).service("a-svc").attributes(Map.of()).build());
        written.add(point("m", BASE_NANOS, gauge(6)).service("a-svc").attributes(Map.of("k", "1")).unit("s")
                .build());
        written.add(point("m", BASE_NANOS, sum(7)).service("a-svc").attributes(Map.of("k", "1")).build());
        Collections.shuffle(written, new Random(9));
        write(points(1, written));

        List<MetricSeries> series = select(query("m"));

        List<MetricSeries> expected = new ArrayList<>();
        for (MetricPoint point : written) {
            expected.add(seriesOf(List.of(point)));
        }
        expected.sort(MetricSeries.IDENTITY_ORDER);
        assertThat(series).usingRecursiveComparison(EXACTLY).isEqualTo(expected);
        // Spelled out, so that a change of IDENTITY_ORDER shows here too.
        assertThat(series).extracting(s -> s.points().get(0).value()).containsExactly(
                gauge(5), gauge(4), gauge(6), sum(7), gauge(3), gauge(2), gauge(1));
    }

    @Test
    public void select_differentResource_differentSeries() {
        Map<String, String> otherHost = new HashMap<>(resource("checkout").attributes());
        otherHost.put("host.name", "node-8");
        write(points(1, List.of(
                point("cpu", BASE_NANOS, gauge(0.5)).build(),
                point("cpu", BASE_NANOS, gauge(0.7)).resource(new Resource(otherHost, 1, "")).build())));

        List<MetricSeries> series = select(query("cpu"));

        assertThat(series).hasSize(2);
        assertThat(series).extracting(s -> s.resourceAttributes().get("host.name"))
                .containsExactlyInAnyOrder("node-7.eu-west-1.compute.internal", "node-8");
    }

    @Test
    public void select_attributesInAnotherOrderOrBatch_sameSeries() {
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            forward.put("key" + i, "value" + i);
            backward.put("key" + (11 - i), "value" + (11 - i));
        }
        write(points(1, List.of(point("m", BASE_NANOS, gauge(1)).attributes(forward).build())),
                points(2, List.of(point("m", BASE_NANOS + SECOND, gauge(2)).attributes(backward).build())));

        List<MetricSeries> series = select(query("m"));

        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.attributes()).isEqualTo(forward);
            assertThat(s.points()).extracting(SeriesPoint::value).containsExactly(gauge(1), gauge(2));
        });
    }

    @Test
    public void select_range_isHalfOpenAndPointsAscending() {
        List<MetricPoint> written = new ArrayList<>();
        for (int i = -2; i <= 6; i++) {
            written.add(point("m", BASE_NANOS + i * SECOND, gauge(i)).build());
        }
        Collections.shuffle(written, new Random(4));
        write(points(1, written));

        List<MetricSeries> series = select(new SeriesQuery("m", null, List.of(),
                new TimeRange(BASE_NANOS, BASE_NANOS + 4 * SECOND), 10, SeriesHints.NONE));

        assertThat(series).singleElement().satisfies(s -> assertThat(s.points())
                .extracting(SeriesPoint::value).containsExactly(gauge(0), gauge(1), gauge(2), gauge(3)));
        assertThat(select(new SeriesQuery("m", null, List.of(), new TimeRange(0, 1), 10, null))).isEmpty();
    }

    @Test
    public void select_byServiceName_onlyThatService() {
        write(points(1, List.of(
                point("m", BASE_NANOS, gauge(1)).service("checkout").build(),
                point("m", BASE_NANOS, gauge(2)).service("payment").build())));

        List<MetricSeries> series = select(new SeriesQuery("m", "payment", List.of(), HOUR, 10, null));

        assertThat(series).singleElement().satisfies(s -> assertThat(s.serviceName()).isEqualTo("payment"));
    }

    @Test
    public void select_attributeFilters_onPointOrResourceAllMustHold() {
        write(points(1, List.of(
                point("m", BASE_NANOS, gauge(1)).service("checkout").attribute("http.route", "/a").build(),
                point("m", BASE_NANOS, gauge(2)).service("checkout").attribute("http.route", "/b").build(),
                point("m", BASE_NANOS, gauge(3)).service("payment").attribute("http.route", "/a").build())));

        assertThat(selectValues(List.of(new AttributeFilter("http.route", "/a"))))
                .containsExactlyInAnyOrder(gauge(1), gauge(3));
        assertThat(selectValues(List.of(new AttributeFilter("http.route", "/a"),
                new AttributeFilter("k8s.pod.name", "payment-7d9f8b6c5d-x2k4p")))).containsExactly(gauge(3));
        assertThat(selectValues(List.of(new AttributeFilter("http.route", "/c")))).isEmpty();
    }

    @Test
    public void select_otherMetricName_notReturned() {
        write(points(1, List.of(
                point("m", BASE_NANOS, gauge(1)).build(),
                point("m.total", BASE_NANOS, gauge(2)).build())));

        assertThat(select(query("m"))).singleElement()
                .satisfies(s -> assertThat(s.metricName()).isEqualTo("m"));
        assertThat(select(query("M"))).isEmpty();
        assertThat(select(query("unknown"))).isEmpty();
    }

    @Test
    public void select_descriptionChanged_latestDescription() {
        write(points(1, List.of(point("m", BASE_NANOS + 2 * SECOND, gauge(2)).description("new").build())),
                points(2, List.of(point("m", BASE_NANOS + SECOND, gauge(1)).description("old").build())));

        assertThat(select(query("m"))).singleElement()
                .satisfies(s -> assertThat(s.metricDescription()).isEqualTo("new"));
    }

    @Test
    public void select_moreSeriesThanMax_failsWithQueryLimitExceeded() {
        List<MetricPoint> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(point("m", BASE_NANOS, gauge(i)).attribute("instance", "i" + i).build());
            written.add(point("m", BASE_NANOS + SECOND, gauge(i)).attribute("instance", "i" + i).build());
        }
        write(points(1, written));

        CompletableFuture<List<MetricSeries>> tooMany =
                backend().series().select(new SeriesQuery("m", null, List.of(), HOUR, 4, null));

        assertThat(failureOf(tooMany)).isInstanceOf(QueryLimitExceededException.class).hasMessageContaining("4");
        assertThat(select(new SeriesQuery("m", null, List.of(), HOUR, 5, null))).hasSize(5);
    }

    @Test
    public void metricNames_inRange_sortedWithTypeUnitAndLatestDescription() {
        write(points(1, List.of(
                point("b.requests", BASE_NANOS, sum(1)).unit("{request}").description("Requests.").build(),
                point("a.latency", BASE_NANOS, StorageFixtures.histogram()).unit("ms").description("Old.").build(),
                point("a.latency", BASE_NANOS + SECOND, StorageFixtures.histogram()).unit("ms")
                        .description("Latency.").build(),
                point("c.temperature", BASE_NANOS, gauge(21.5)).service("sensor").unit("Cel").description("")
                        .build(),
                point("z.archived", BASE_NANOS - 7_200 * SECOND, gauge(1)).build())));

        Map<String, String> metadata = StorageFixtures.DEFAULT_METRIC_METADATA;
        assertThat(await(backend().series().metricNames(null, HOUR))).containsExactly(
                new MetricName("a.latency", MetricType.HISTOGRAM, "ms", "Latency.", metadata),
                new MetricName("b.requests", MetricType.SUM, "{request}", "Requests.", metadata),
                new MetricName("c.temperature", MetricType.GAUGE, "Cel", "", metadata));
        assertThat(await(backend().series().metricNames("sensor", HOUR)))
                .containsExactly(new MetricName("c.temperature", MetricType.GAUGE, "Cel", "", metadata));
        assertThat(await(backend().series().metricNames("nobody", HOUR))).isEmpty();
    }

    @Test
    public void metricNames_metadataChanged_metadataOfLatestPoint() {
        write(points(1, List.of(
                point("up", BASE_NANOS, gauge(1)).unit("").metadata(Map.of()).build(),
                point("up", BASE_NANOS + 2 * SECOND, gauge(1)).unit("").metadata(Map.of("prometheus.type", "gauge"))
                        .build(),
                point("up", BASE_NANOS + SECOND, gauge(1)).unit("").metadata(Map.of("prometheus.type", "unknown"))
                        .build(),
                point("plain", BASE_NANOS, gauge(1)).unit("").metadata(Map.of()).build())));

        assertThat(await(backend().series().metricNames(null, HOUR))).containsExactly(
                new MetricName("plain", MetricType.GAUGE, "", "Duration of HTTP server requests.", Map.of()),
                new MetricName("up", MetricType.GAUGE, "", "Duration of HTTP server requests.",
                        Map.of("prometheus.type", "gauge")));
    }

    // --- helpers

    private List<MetricSeries> select(SeriesQuery query) {
        return await(backend().series().select(query));
    }

    private List<MetricValue> selectValues(List<AttributeFilter> filters) {
        List<MetricValue> values = new ArrayList<>();
        for (MetricSeries series : select(new SeriesQuery("m", null, filters, HOUR, 10, null))) {
            for (SeriesPoint point : series.points()) {
                values.add(point.value());
            }
        }
        return values;
    }

    private static SeriesQuery query(String metricName) {
        return new SeriesQuery(metricName, null, List.of(), HOUR, 100, SeriesHints.NONE);
    }

    /** The series the SPI promises for {@code points}, which all share one identity, ascending by time. */
    private static MetricSeries seriesOf(List<MetricPoint> points) {
        MetricPoint latest = points.get(0);
        List<SeriesPoint> seriesPoints = new ArrayList<>();
        for (MetricPoint point : points) {
            seriesPoints.add(new SeriesPoint(point.startTimeNanos(), point.timeNanos(), point.flags(),
                    point.value(), point.exemplars()));
            if (point.timeNanos() > latest.timeNanos()) {
                latest = point;
            }
        }
        seriesPoints.sort((a, b) -> Long.compare(a.timeNanos(), b.timeNanos()));
        return new MetricSeries(latest.type(), latest.metricName(), latest.metricUnit(),
                latest.metricDescription(), latest.serviceName(), latest.resource().attributes(),
                latest.scope().name(), latest.scope().version(), latest.attributes(), seriesPoints);
    }
}
