package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.SECOND;
import static io.otelservices.query.rest.Fixtures.counter;
import static io.otelservices.query.rest.Fixtures.deltaSum;
import static io.otelservices.query.rest.Fixtures.gauge;
import static io.otelservices.query.rest.Fixtures.histogram;
import static io.otelservices.query.rest.Fixtures.point;
import static io.otelservices.query.rest.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SeriesAggregator} with {@code rate}. Buckets are a minute long, so a rate is the increase / 60. */
class RateAggregationTest {

    static final long T0 = 1_700_000_000L * SECOND;
    static final BucketGrid TWO_MINUTES = new BucketGrid(T0, T0 + 120 * SECOND, 60 * SECOND);
    private static final double[] NO_BOUNDS = {};

    private final SeriesAggregator aggregator = new SeriesAggregator(SeriesAggregator.DEFAULT_MAX_TOTAL_POINTS);

    private AggregatedSeries rate(MetricSeries... series) {
        List<AggregatedSeries> result = aggregator.aggregate(List.of(series), TWO_MINUTES, Aggregation.RATE,
                List.of());
        assertThat(result).hasSizeLessThanOrEqualTo(1);
        return result.isEmpty() ? new AggregatedSeries(Map.of(), new long[0], new double[0]) : result.get(0);
    }

    private static SeriesPoint at(long seconds, MetricValue value) {
        return point(T0 + seconds * SECOND, value);
    }

    @Test
    void cumulativeCounter_resetInBucket_countsValueAfterReset() {
        AggregatedSeries result = rate(series(MetricType.SUM, "c", Map.of(),
                at(0, counter(10)), at(20, counter(20)), at(40, counter(5)), at(60, counter(15)),
                at(80, counter(25))));

        assertThat(result.timesNanos()).containsExactly(T0, T0 + 60 * SECOND);
        // bucket 0: +10, then reset to 5 counts as +5; bucket 1: +10 (5 -> 15 across the boundary), +10
        assertThat(result.values()[0]).isCloseTo(15.0 / 60, within(1e-12));
        assertThat(result.values()[1]).isCloseTo(20.0 / 60, within(1e-12));
    }

    @Test
    void cumulativeCounter_baselineBeforeRange_used() {
        AggregatedSeries result = rate(series(MetricType.SUM, "c", Map.of(),
                at(-30, counter(100)), at(30, counter(160))));

        assertThat(result.timesNanos()).containsExactly(T0);
        assertThat(result.values()).containsExactly(1.0);
    }

    @Test
    void cumulativeCounter_onlyPointHasNoBaseline_bucketOmitted() {
        assertThat(rate(series(MetricType.SUM, "c", Map.of(), at(30, counter(160)))).size()).isZero();
    }

    @Test
    void cumulativeCounter_changedStartTime_isReset() {
        long firstStart = T0 - 600 * SECOND;
        long secondStart = T0 + 30 * SECOND;
        AggregatedSeries result = rate(series(MetricType.SUM, "c", Map.of(),
                point(firstStart, T0, counter(100)), point(firstStart, T0 + 20 * SECOND, counter(200)),
                point(secondStart, T0 + 40 * SECOND, counter(300))));

        // +100, then a restart: the new series' 300 is all increase
        assertThat(result.values()).containsExactly(400.0 / 60);
    }

    @Test
    void cumulativeCounter_noRecordedValue_endsTheChain() {
        AggregatedSeries result = rate(series(MetricType.SUM, "c", Map.of(),
                at(0, counter(10)), at(10, counter(20)),
                new SeriesPoint(0, T0 + 20 * SECOND, MetricPoint.FLAG_NO_RECORDED_VALUE, counter(0), List.of()),
                at(30, counter(100)), at(40, counter(110))));

        assertThat(result.values()).containsExactly(20.0 / 60);
    }

    @Test
    void deltaSums_sumOfValuesOverStep() {
        AggregatedSeries result = rate(series(MetricType.SUM, "d", Map.of(),
                at(-30, deltaSum(1000)), at(10, deltaSum(30)), at(50, deltaSum(30)), at(70, deltaSum(6))));

        assertThat(result.timesNanos()).containsExactly(T0, T0 + 60 * SECOND);
        assertThat(result.values()[0]).isEqualTo(1.0);
        assertThat(result.values()[1]).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void cumulativeHistograms_rateOfCountWithReset() {
        AggregatedSeries result = rate(series(MetricType.HISTOGRAM, "h", Map.of(),
                at(-10, histogram(AggregationTemporality.CUMULATIVE, NO_BOUNDS, 50)),
                at(10, histogram(AggregationTemporality.CUMULATIVE, NO_BOUNDS, 80)),
                at(70, histogram(AggregationTemporality.CUMULATIVE, NO_BOUNDS, 12))));

        assertThat(result.values()).containsExactly(30.0 / 60, 12.0 / 60);
    }

    @Test
    void deltaExponentialHistograms_rateOfCount() {
        MetricValue.ExponentialHistogram delta = new MetricValue.ExponentialHistogram(90, 1, 0, 0, 0, 0,
                new long[0], 0, new long[0], Double.NaN, Double.NaN, AggregationTemporality.DELTA);

        assertThat(rate(series(MetricType.EXPONENTIAL_HISTOGRAM, "e", Map.of(), at(5, delta), at(65, delta)))
                .values()).containsExactly(1.5, 1.5);
    }

    @Test
    void gaugeAndUpDownCounter_plainChangeWithoutReset() {
        MetricSeries gauge = series(MetricType.GAUGE, "g", Map.of("kind", "gauge"),
                at(0, gauge(10)), at(30, gauge(4)));
        MetricSeries upDown = series(MetricType.SUM, "g", Map.of("kind", "updown"),
                at(0, new MetricValue.Sum(10, AggregationTemporality.CUMULATIVE, false)),
                at(30, new MetricValue.Sum(7, AggregationTemporality.CUMULATIVE, false)));

        List<AggregatedSeries> result = aggregator.aggregate(List.of(gauge, upDown), TWO_MINUTES, Aggregation.RATE,
                List.of("kind"));

        assertThat(result).extracting(series -> series.values()[0]).containsExactly(-6.0 / 60, -3.0 / 60);
    }

    @Test
    void group_increasesSummedAcrossSeries() {
        AggregatedSeries result = rate(
                series(MetricType.SUM, "c", Map.of("i", "1"), at(-10, counter(0)), at(10, counter(60))),
                series(MetricType.SUM, "c", Map.of("i", "2"), at(-10, counter(5)), at(50, counter(35))));

        assertThat(result.values()).containsExactly(1.5);
    }

    @Test
    void summaries_rateOfCount() {
        AggregatedSeries result = rate(series(MetricType.SUMMARY, "s", Map.of(),
                at(-10, new MetricValue.Summary(10, 100, List.of())),
                at(50, new MetricValue.Summary(70, 700, List.of()))));

        assertThat(result.values()).containsExactly(1.0);
    }
}
