package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BucketDistributionTest {

    @Test
    void quantile_empty_isNaN() {
        assertThat(new BucketDistribution().quantile(0.5)).isNaN();
    }

    @Test
    void add_unsortedAndRepeatedBounds_mergedAndSorted() {
        BucketDistribution distribution = new BucketDistribution();
        distribution.add(20, 50, 1);
        distribution.add(10, 20, 3);
        distribution.add(Double.NEGATIVE_INFINITY, 10, 2);
        distribution.add(10, 20, 3);
        distribution.add(20, 50, 1);
        distribution.add(50, Double.POSITIVE_INFINITY, 0);

        assertThat(distribution.total()).isEqualTo(10);
        assertThat(distribution.quantile(0.5)).isCloseTo(15, within(1e-9));
        assertThat(distribution.quantile(0.99)).isCloseTo(48.5, within(1e-9));
    }

    @Test
    void add_manyDistinctBuckets_growsAndStaysOrdered() {
        BucketDistribution distribution = new BucketDistribution();
        for (int i = 99; i >= 0; i--) {
            distribution.add(i, i + 1, 1);
        }

        assertThat(distribution.quantile(0.5)).isCloseTo(50, within(1e-9));
        assertThat(distribution.quantile(0.95)).isCloseTo(95, within(1e-9));
    }

    @Test
    void clear_forgetsEverything() {
        BucketDistribution distribution = new BucketDistribution();
        distribution.add(0, 1, 5);
        distribution.clear();
        distribution.add(1, 2, 2);

        assertThat(distribution.total()).isEqualTo(2);
        assertThat(distribution.quantile(0.5)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void quantile_onlyInfiniteBucket_isNaN() {
        BucketDistribution distribution = new BucketDistribution();
        distribution.add(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 3);

        assertThat(distribution.quantile(0.5)).isNaN();
    }
}
