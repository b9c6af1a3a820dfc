package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricValue;
import org.junit.jupiter.api.Test;

class HistogramCountsTest {

    @Test
    void downscale_negativeOffset_floorsIndices() {
        // indices -3, -2, -1, 0 at one scale coarser: -2, -1, -1, 0
        assertThat(HistogramCounts.Exponential.downscale(-3, new long[] {1, 1, 1, 1}, 1)).containsExactly(1, 2, 1);
        assertThat(HistogramCounts.Exponential.downscale(5, new long[] {1, 2, 3}, 2)).containsExactly(6);
        assertThat(HistogramCounts.Exponential.downscale(5, new long[] {1, 2, 3}, 0)).containsExactly(1, 2, 3);
    }

    @Test
    void explicitMinus_sameBounds_difference() {
        HistogramCounts later = HistogramCounts.of(histogram(new double[] {1, 2}, 3, 4, 5));
        HistogramCounts earlier = HistogramCounts.of(histogram(new double[] {1, 2}, 1, 4, 2));

        HistogramCounts.Explicit increase = (HistogramCounts.Explicit) later.minus(earlier);

        assertThat(increase.counts()).containsExactly(2, 0, 3);
        assertThat(increase.delta()).isTrue();
    }

    @Test
    void explicitMinus_lowerCountOrOtherBounds_null() {
        HistogramCounts later = HistogramCounts.of(histogram(new double[] {1, 2}, 3, 4, 5));

        assertThat(later.minus(HistogramCounts.of(histogram(new double[] {1, 2}, 4, 4, 5)))).isNull();
        assertThat(later.minus(HistogramCounts.of(histogram(new double[] {1, 3}, 1, 1, 1)))).isNull();
    }

    @Test
    void exponentialMinus_finerLaterScale_null() {
        HistogramCounts.Exponential coarse = new HistogramCounts.Exponential(0, 0, 0, 0, new long[] {1}, 0,
                new long[0], false);
        HistogramCounts.Exponential fine = new HistogramCounts.Exponential(1, 0, 0, 0, new long[] {1, 1}, 0,
                new long[0], false);

        assertThat(fine.minus(coarse)).isNull();
        assertThat(coarse.minus(fine)).isNull(); // 2 earlier observations folded into a bucket now holding 1
    }

    @Test
    void exponentialMinus_earlierBucketOutsideLaterRange_null() {
        HistogramCounts.Exponential later = new HistogramCounts.Exponential(0, 0, 0, 3, new long[] {5}, 0,
                new long[0], false);
        HistogramCounts.Exponential earlier = new HistogramCounts.Exponential(0, 0, 0, 2, new long[] {1, 1}, 0,
                new long[0], false);

        assertThat(later.minus(earlier)).isNull();
    }

    @Test
    void of_histogramWithoutBuckets_null() {
        assertThat(HistogramCounts.of(histogram(new double[0]))).isNull();
        assertThat(HistogramCounts.of(new MetricValue.Gauge(1))).isNull();
    }

    private static MetricValue.Histogram histogram(double[] bounds, long... counts) {
        return new MetricValue.Histogram(0, 0, counts, bounds, Double.NaN, Double.NaN,
                AggregationTemporality.CUMULATIVE);
    }
}
