package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.SECOND;
import static io.otelservices.query.rest.Fixtures.gauge;
import static io.otelservices.query.rest.Fixtures.point;
import static io.otelservices.query.rest.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpStatus;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SeriesAggregator} with avg, sum, min, max and count; grouping; omitted buckets; the total points limit. */
class StatisticsAggregationTest {

    static final long T0 = 1_700_000_000L * SECOND;
    static final BucketGrid THREE_MINUTES = new BucketGrid(T0, T0 + 180 * SECOND, 60 * SECOND);

    private final SeriesAggregator aggregator = new SeriesAggregator(SeriesAggregator.DEFAULT_MAX_TOTAL_POINTS);

    private static List<MetricSeries> gauges() {
        return List.of(
                series(MetricType.GAUGE, "g", Map.of("route", "/a"),
                        point(T0, gauge(1)), point(T0 + 30 * SECOND, gauge(3)), point(T0 + 60 * SECOND, gauge(5)),
                        new SeriesPoint(0, T0 + 70 * SECOND, MetricPoint.FLAG_NO_RECORDED_VALUE, gauge(1000),
                                List.of())),
                series(MetricType.GAUGE, "g", Map.of("route", "/b"),
                        point(T0 - 10 * SECOND, gauge(100)), point(T0 + 10 * SECOND, gauge(2)),
                        point(T0 + 70 * SECOND, gauge(Double.NaN)), point(T0 + 180 * SECOND, gauge(100))));
    }

    @ParameterizedTest
    @CsvSource({"AVG,2,5", "SUM,6,5", "MIN,1,5", "MAX,3,5", "COUNT,3,1"})
    void gauges_oneGroup_aggregatedPerBucketAndEmptyBucketOmitted(Aggregation aggregation, double first,
                                                                  double second) {
        List<AggregatedSeries> result = aggregator.aggregate(gauges(), THREE_MINUTES, aggregation, List.of());

        assertThat(result).hasSize(1);
        AggregatedSeries only = result.get(0);
        assertThat(only.labels()).isEmpty();
        assertThat(only.timesNanos()).containsExactly(T0, T0 + 60 * SECOND);
        assertThat(only.values()).containsExactly(first, second);
    }

    @Test
    void histograms_avgIsSumOfSumsOverSumOfCounts() {
        MetricSeries histograms = series(MetricType.HISTOGRAM, "h", Map.of(),
                point(T0, new MetricValue.Histogram(4, 40, new long[] {4}, new double[0], 2, 20,
                        AggregationTemporality.DELTA)),
                point(T0 + SECOND, new MetricValue.Histogram(6, 30, new long[] {6}, new double[0], 1, 9,
                        AggregationTemporality.DELTA)));
        MetricSeries exponential = series(MetricType.EXPONENTIAL_HISTOGRAM, "h", Map.of(),
                point(T0 + 2 * SECOND, new MetricValue.ExponentialHistogram(5, 25, 0, 5, 0, 0, new long[0], 0,
                        new long[0], 0.5, 30, AggregationTemporality.DELTA)));
        MetricSeries summaries = series(MetricType.SUMMARY, "h", Map.of(),
                point(T0 + 3 * SECOND, new MetricValue.Summary(5, 5, List.of())));
        List<MetricSeries> all = List.of(histograms, exponential, summaries);

        assertThat(valueOfFirstBucket(all, Aggregation.AVG)).isEqualTo(100.0 / 20);
        assertThat(valueOfFirstBucket(all, Aggregation.SUM)).isEqualTo(100.0);
        assertThat(valueOfFirstBucket(all, Aggregation.COUNT)).isEqualTo(20.0);
        assertThat(valueOfFirstBucket(all, Aggregation.MIN)).isEqualTo(0.5);
        assertThat(valueOfFirstBucket(all, Aggregation.MAX)).isEqualTo(30.0);
    }

    @Test
    void histogramWithoutSum_countedButNotAveraged() {
        MetricSeries noSum = series(MetricType.HISTOGRAM, "h", Map.of(),
                point(T0, new MetricValue.Histogram(4, Double.NaN, new long[] {4}, new double[0], Double.NaN,
                        Double.NaN, AggregationTemporality.DELTA)),
                point(T0 + SECOND, new MetricValue.Histogram(2, 8, new long[] {2}, new double[0], Double.NaN,
                        Double.NaN, AggregationTemporality.DELTA)));

        assertThat(valueOfFirstBucket(List.of(noSum), Aggregation.AVG)).isEqualTo(4.0);
        assertThat(valueOfFirstBucket(List.of(noSum), Aggregation.COUNT)).isEqualTo(6.0);
        assertThat(aggregator.aggregate(List.of(noSum), THREE_MINUTES, Aggregation.MIN, List.of())).isEmpty();
    }

    private double valueOfFirstBucket(List<MetricSeries> series, Aggregation aggregation) {
        List<AggregatedSeries> result = aggregator.aggregate(series, THREE_MINUTES, aggregation, List.of());
        assertThat(result).hasSize(1);
        assertThat(result.get(0).timesNanos()).containsExactly(T0);
        return result.get(0).values()[0];
    }

    @Test
    void groupBy_pointThenResourceAttributeThenEmpty_sortedByValues() {
        MetricSeries onHostB = new MetricSeries(MetricType.GAUGE, "g", "", "", "checkout",
                Map.of("service.name", "checkout", "host.name", "b"), "", "", Map.of("route", "/b"),
                List.of(point(T0, gauge(1))));
        MetricSeries onHostA = new MetricSeries(MetricType.GAUGE, "g", "", "", "checkout",
                Map.of("service.name", "checkout", "host.name", "a"), "", "", Map.of("route", "/a"),
                List.of(point(T0, gauge(2))));
        MetricSeries noRoute = new MetricSeries(MetricType.GAUGE, "g", "", "", "checkout",
                Map.of("host.name", "a"), "", "", Map.of("host.name", "point-level"),
                List.of(point(T0, gauge(4))));
        MetricSeries sameAsA = new MetricSeries(MetricType.GAUGE, "g", "", "", "checkout",
                Map.of("service.name", "checkout", "host.name", "a"), "", "", Map.of("route", "/a", "code", "500"),
                List.of(point(T0, gauge(8))));

        List<AggregatedSeries> result = aggregator.aggregate(List.of(onHostB, onHostA, noRoute, sameAsA),
                THREE_MINUTES, Aggregation.SUM, List.of("route", "host.name", "service.name"));

        assertThat(result).extracting(AggregatedSeries::labels).containsExactly(
                Map.of("route", "", "host.name", "point-level", "service.name", "checkout"),
                Map.of("route", "/a", "host.name", "a", "service.name", "checkout"),
                Map.of("route", "/b", "host.name", "b", "service.name", "checkout"));
        assertThat(result).extracting(series -> series.values()[0]).containsExactly(4.0, 10.0, 1.0);
    }

    @Test
    void groupBy_labelsInRequestOrder() {
        List<AggregatedSeries> result = aggregator.aggregate(gauges(), THREE_MINUTES, Aggregation.MAX,
                List.of("route", "absent"));

        assertThat(result.get(0).labels().keySet()).containsExactly("route", "absent");
        assertThat(result.get(0).labels()).containsEntry("absent", "");
    }

    @Test
    void noPointsInRange_noSeries() {
        MetricSeries outside = series(MetricType.GAUGE, "g", Map.of(), point(T0 - SECOND, gauge(1)));

        assertThat(aggregator.aggregate(List.of(outside), THREE_MINUTES, Aggregation.AVG, List.of())).isEmpty();
    }

    @Test
    void lastBucket_shorterThanStep_stillCounted() {
        BucketGrid grid = new BucketGrid(T0, T0 + 90 * SECOND, 60 * SECOND);
        MetricSeries late = series(MetricType.GAUGE, "g", Map.of(), point(T0 + 89 * SECOND, gauge(7)));

        List<AggregatedSeries> result = aggregator.aggregate(List.of(late), grid, Aggregation.AVG, List.of());

        assertThat(grid.bucketCount()).isEqualTo(2);
        assertThat(result.get(0).timesNanos()).containsExactly(T0 + 60 * SECOND);
    }

    @Test
    void moreThanMaxTotalPoints_422() {
        SeriesAggregator small = new SeriesAggregator(2);

        assertThatThrownBy(() -> small.aggregate(gauges(), THREE_MINUTES, Aggregation.AVG, List.of("route")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
                    assertThat(e.getMessage()).startsWith("the result holds more than 2 points in all");
                });
        assertThat(small.aggregate(gauges(), THREE_MINUTES, Aggregation.AVG, List.of())).hasSize(1);
    }
}
