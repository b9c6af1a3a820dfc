package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.SECOND;
import static io.otelservices.query.rest.Fixtures.gauge;
import static io.otelservices.query.rest.Fixtures.histogram;
import static io.otelservices.query.rest.Fixtures.point;
import static io.otelservices.query.rest.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SeriesAggregator} with {@code p50..p99}, against hand-computed values. The explicit histogram used most is
 * bounds [10, 20, 50] with counts [2, 6, 2, 0]: 10 observations, so rank = 10 q.
 */
class QuantileAggregationTest {

    static final long T0 = 1_700_000_000L * SECOND;
    static final BucketGrid ONE_MINUTE = new BucketGrid(T0, T0 + 60 * SECOND, 60 * SECOND);
    static final double[] BOUNDS = {10, 20, 50};

    private final SeriesAggregator aggregator = new SeriesAggregator(SeriesAggregator.DEFAULT_MAX_TOTAL_POINTS);

    private static SeriesPoint at(long seconds, MetricValue value) {
        return point(T0 + seconds * SECOND, value);
    }

    private static MetricValue.Histogram delta(long... counts) {
        return histogram(AggregationTemporality.DELTA, BOUNDS, counts);
    }

    private static MetricValue.Histogram cumulative(long... counts) {
        return histogram(AggregationTemporality.CUMULATIVE, BOUNDS, counts);
    }

    /** The one bucket's value, or NaN when the aggregator omitted it. */
    private double quantile(Aggregation aggregation, MetricSeries... series) {
        List<AggregatedSeries> result = aggregator.aggregate(List.of(series), ONE_MINUTE, aggregation, List.of());
        return result.isEmpty() ? Double.NaN : result.get(0).values()[0];
    }

    @ParameterizedTest
    @CsvSource({
        "P50, 15",   // rank 5: 3 into (10, 20] holding 6 -> 10 + 10 * 3/6
        "P90, 35",   // rank 9: 1 into (20, 50] holding 2 -> 20 + 30 * 1/2
        "P95, 42.5", // rank 9.5: 20 + 30 * 1.5/2
        "P99, 48.5", // rank 9.9: 20 + 30 * 1.9/2
    })
    void deltaHistogram_interpolatedLikeHistogramQuantile(Aggregation aggregation, double expected) {
        assertThat(quantile(aggregation, series(MetricType.HISTOGRAM, "h", Map.of(), at(10, delta(2, 6, 2, 0)))))
                .isCloseTo(expected, within(1e-9));
    }

    @Test
    void deltaHistograms_mergedAcrossPointsAndSeries() {
        MetricSeries first = series(MetricType.HISTOGRAM, "h", Map.of("i", "1"),
                at(10, delta(1, 1, 0, 0)), at(20, delta(0, 2, 1, 0)));
        MetricSeries second = series(MetricType.HISTOGRAM, "h", Map.of("i", "2"), at(30, delta(1, 3, 1, 0)));

        assertThat(quantile(Aggregation.P50, first, second)).isCloseTo(15, within(1e-9));
    }

    @Test
    void rankInInfBucket_largestFiniteBound() {
        assertThat(quantile(Aggregation.P50, series(MetricType.HISTOGRAM, "h", Map.of(), at(0, delta(0, 0, 1, 9)))))
                .isEqualTo(50);
    }

    @Test
    void rankInFirstBucket_interpolatedFromZero() {
        assertThat(quantile(Aggregation.P50, series(MetricType.HISTOGRAM, "h", Map.of(), at(0, delta(10, 0, 0, 0)))))
                .isEqualTo(5);
    }

    @Test
    void rankInFirstBucketAtOrBelowZero_itsUpperBound() {
        MetricValue.Histogram negative = histogram(AggregationTemporality.DELTA, new double[] {-5, 0, 5}, 4, 0, 0, 0);

        assertThat(quantile(Aggregation.P50, series(MetricType.HISTOGRAM, "h", Map.of(), at(0, negative))))
                .isEqualTo(-5);
    }

    @Test
    void cumulativeHistogram_increaseOverBaselineBeforeRange() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(),
                at(-30, cumulative(1, 1, 0, 0)), at(30, cumulative(3, 7, 2, 0)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(15, within(1e-9));
    }

    @Test
    void cumulativeHistogram_onlyPointWithoutBaseline_ownCounts() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(), at(30, cumulative(2, 6, 2, 0)));

        assertThat(quantile(Aggregation.P90, series)).isCloseTo(35, within(1e-9));
    }

    @Test
    void cumulativeHistogram_twoPointsWithoutBaseline_lastMinusFirst() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(),
                at(10, cumulative(100, 100, 100, 100)), at(20, cumulative(101, 101, 100, 100)),
                at(30, cumulative(102, 106, 102, 100)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(15, within(1e-9));
    }

    @Test
    void cumulativeHistogram_reset_ownCountsOfPointAfterIt() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(),
                at(-10, cumulative(50, 50, 50, 50)), at(10, cumulative(2, 6, 2, 0)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(15, within(1e-9));
    }

    @Test
    void cumulativeHistogram_changedBounds_treatedAsReset() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(),
                at(-10, histogram(AggregationTemporality.CUMULATIVE, new double[] {1, 2, 3}, 0, 1, 0, 0)),
                at(10, cumulative(2, 6, 2, 0)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(15, within(1e-9));
    }

    @Test
    void cumulativeHistogram_noNewObservations_bucketOmitted() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(),
                at(-10, cumulative(2, 6, 2, 0)), at(10, cumulative(2, 6, 2, 0)));

        assertThat(quantile(Aggregation.P50, series)).isNaN();
    }

    @Test
    void histogramWithoutBuckets_bucketOmitted() {
        MetricSeries series = series(MetricType.HISTOGRAM, "h", Map.of(), at(10,
                new MetricValue.Histogram(5, 50, new long[0], new double[0], 1, 20, AggregationTemporality.DELTA)));

        assertThat(quantile(Aggregation.P50, series)).isNaN();
    }

    private static MetricValue.ExponentialHistogram exponential(
            int scale, long zeroCount, double zeroThreshold, int positiveOffset, long[] positive,
            int negativeOffset, long[] negative, AggregationTemporality temporality) {
        long count = zeroCount;
        for (long c : positive) {
            count += c;
        }
        for (long c : negative) {
            count += c;
        }
        return new MetricValue.ExponentialHistogram(count, 0, scale, zeroCount, zeroThreshold, positiveOffset,
                positive, negativeOffset, negative, Double.NaN, Double.NaN, temporality);
    }

    @Test
    void exponentialHistogram_scale0_bucketsArePowersOfTwo() {
        // (1, 2] holds 2, (2, 4] holds 2
        MetricSeries series = series(MetricType.EXPONENTIAL_HISTOGRAM, "e", Map.of(), at(0, exponential(
                0, 0, 0, 0, new long[] {2, 2}, 0, new long[0], AggregationTemporality.DELTA)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(2, within(1e-9));
        assertThat(quantile(Aggregation.P90, series)).isCloseTo(2 + 2 * (1.6 / 2), within(1e-9));
    }

    @Test
    void exponentialHistogram_scale1_baseIsSqrt2() {
        // index 2 at scale 1 is (2^(2/2), 2^(3/2)] = (2, 2.828...]
        MetricSeries series = series(MetricType.EXPONENTIAL_HISTOGRAM, "e", Map.of(), at(0, exponential(
                1, 0, 0, 2, new long[] {4}, 0, new long[0], AggregationTemporality.DELTA)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(2 + (Math.pow(2, 1.5) - 2) / 2, within(1e-9));
    }

    @Test
    void exponentialHistogram_negativeAndZeroBuckets() {
        // [-2, -1) holds 2, the zero bucket [-0.5, 0.5] holds 2, (1, 2] holds 4; 8 observations
        MetricSeries series = series(MetricType.EXPONENTIAL_HISTOGRAM, "e", Map.of(), at(0, exponential(
                0, 2, 0.5, 0, new long[] {4}, 0, new long[] {2}, AggregationTemporality.DELTA)));

        assertThat(quantile(Aggregation.P50, series)).isCloseTo(0.5, within(1e-9));   // rank 4: top of zero bucket
        assertThat(quantile(Aggregation.P90, series)).isCloseTo(1.8, within(1e-9));   // rank 7.2: 1 + 3.2/4
        assertThat(aggregator.aggregate(List.of(series), ONE_MINUTE, Aggregation.P50, List.of())).hasSize(1);
    }

    @Test
    void exponentialHistogram_cumulativeWithDownscale_increaseAtCoarserScale() {
        // scale 1 indices 0..3 fold into scale 0 indices 0, 0, 1, 1: [2, 2]; later [3, 5] leaves [1, 3]
        MetricSeries series = series(MetricType.EXPONENTIAL_HISTOGRAM, "e", Map.of(),
                at(-10, exponential(1, 0, 0, 0, new long[] {1, 1, 1, 1}, 0, new long[0],
                        AggregationTemporality.CUMULATIVE)),
                at(10, exponential(0, 0, 0, 0, new long[] {3, 5}, 0, new long[0],
                        AggregationTemporality.CUMULATIVE)));

        // rank 2 of 4: 1 into (2, 4] holding 3
        assertThat(quantile(Aggregation.P50, series)).isCloseTo(2 + 2.0 / 3, within(1e-9));
    }

    @ParameterizedTest
    @CsvSource({"P50,5", "P90,9", "P95,10", "P99,10"})
    void gauges_nearestRankOfRawValues(Aggregation aggregation, double expected) {
        List<SeriesPoint> points = new ArrayList<>();
        for (int value : new int[] {7, 3, 10, 1, 5, 9, 2, 8, 4, 6}) {
            points.add(at(value, gauge(value)));
        }
        MetricSeries series = series(MetricType.GAUGE, "g", Map.of(), points.toArray(SeriesPoint[]::new));

        assertThat(quantile(aggregation, series)).isEqualTo(expected);
    }

    @Test
    void summaries_valueOfThatQuantile() {
        MetricValue.Summary summary = new MetricValue.Summary(10, 100, List.of(
                new MetricValue.ValueAtQuantile(0.5, 7), new MetricValue.ValueAtQuantile(0.99, 30)));
        MetricSeries series = series(MetricType.SUMMARY, "s", Map.of(), at(0, summary));

        assertThat(quantile(Aggregation.P50, series)).isEqualTo(7);
        assertThat(quantile(Aggregation.P99, series)).isEqualTo(30);
        assertThat(quantile(Aggregation.P90, series)).isNaN();
    }
}
