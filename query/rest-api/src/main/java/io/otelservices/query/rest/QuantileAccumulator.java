package io.otelservices.query.rest;

import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;

/**
 * {@code p50}, {@code p90}, {@code p95}, {@code p99} per bucket.
 * <ul>
 *   <li>Histograms and exponential histograms: the bucket counts of the group's observations in the bucket are
 *       merged into a {@link BucketDistribution} and interpolated. Delta points add their counts. A cumulative
 *       point adds its increase over the point before it (which may lie in an earlier bucket or one step before
 *       the range), or its own counts after a reset; where a series' points in a bucket have no point before them
 *       at all, the last one's own counts (everything since its start) stand in.</li>
 *   <li>Gauges and sums: the nearest-rank quantile of the raw sample values in the bucket.</li>
 *   <li>Summaries: the nearest-rank quantile of the points' own values for exactly this quantile; points without
 *       it are skipped.</li>
 * </ul>
 * Where a group holds both histograms and other types, a bucket with histogram observations uses those.
 */
final class QuantileAccumulator implements BucketAccumulator {

    private static final double QUANTILE_TOLERANCE = 1e-9;

    private final BucketGrid grid;
    private final double quantile;
    private final DoubleList[] samples;
    private final BucketDistribution[] distributions;

    QuantileAccumulator(BucketGrid grid, double quantile) {
        this.grid = grid;
        this.quantile = quantile;
        int buckets = (int) grid.bucketCount();
        samples = new DoubleList[buckets];
        distributions = new BucketDistribution[buckets];
    }

    @Override
    public void reset() {
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] != null) {
                samples[i].clear();
            }
            if (distributions[i] != null) {
                distributions[i].clear();
            }
        }
    }

    @Override
    public void add(MetricSeries series) {
        switch (series.type()) {
            case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> addHistograms(series);
            default -> addSamples(series);
        }
    }

    private void addSamples(MetricSeries series) {
        for (SeriesPoint point : series.points()) {
            int index = grid.indexOf(point.timeNanos());
            if (index < 0 || (point.flags() & MetricPoint.FLAG_NO_RECORDED_VALUE) != 0) {
                continue;
            }
            double value = sampleOf(point.value());
            if (!Double.isNaN(value)) {
                samplesAt(index).add(value);
            }
        }
    }

    private double sampleOf(MetricValue value) {
        if (value instanceof MetricValue.Gauge gauge) {
            return gauge.value();
        }
        if (value instanceof MetricValue.Sum sum) {
            return sum.value();
        }
        if (value instanceof MetricValue.Summary summary) {
            for (MetricValue.ValueAtQuantile valueAtQuantile : summary.quantiles()) {
                if (Math.abs(valueAtQuantile.quantile() - quantile) < QUANTILE_TOLERANCE) {
                    return valueAtQuantile.value();
                }
            }
        }
        return Double.NaN;
    }

    private void addHistograms(MetricSeries series) {
        HistogramCounts previous = null;
        long previousStartNanos = 0;
        int currentBucket = -1;
        HistogramCounts unpaired = null;
        boolean paired = false;
        for (SeriesPoint point : series.points()) {
            if (point.timeNanos() >= grid.endNanos()) {
                break;
            }
            HistogramCounts counts = (point.flags() & MetricPoint.FLAG_NO_RECORDED_VALUE) != 0
                    ? null : HistogramCounts.of(point.value());
            if (counts == null) {
                previous = null;
                continue;
            }
            int index = grid.indexOf(point.timeNanos());
            if (index != currentBucket) {
                addUnpaired(currentBucket, paired, unpaired);
                currentBucket = index;
                paired = false;
                unpaired = null;
            }
            if (index >= 0) {
                if (counts.delta()) {
                    counts.addTo(distributionAt(index));
                } else if (previous != null) {
                    boolean restarted = point.startTimeNanos() != 0 && previousStartNanos != 0
                            && point.startTimeNanos() != previousStartNanos;
                    HistogramCounts increase = restarted ? null : counts.minus(previous);
                    (increase == null ? counts : increase).addTo(distributionAt(index));
                    paired = true;
                } else {
                    unpaired = counts;
                }
            }
            previous = counts;
            previousStartNanos = point.startTimeNanos();
        }
        addUnpaired(currentBucket, paired, unpaired);
    }

    /** A bucket where a cumulative series had points but none with a point before it: its last point's counts. */
    private void addUnpaired(int bucket, boolean paired, HistogramCounts unpaired) {
        if (bucket >= 0 && !paired && unpaired != null) {
            unpaired.addTo(distributionAt(bucket));
        }
    }

    private DoubleList samplesAt(int index) {
        if (samples[index] == null) {
            samples[index] = new DoubleList();
        }
        return samples[index];
    }

    private BucketDistribution distributionAt(int index) {
        if (distributions[index] == null) {
            distributions[index] = new BucketDistribution();
        }
        return distributions[index];
    }

    @Override
    public double valueAt(int index) {
        BucketDistribution distribution = distributions[index];
        if (distribution != null && distribution.total() > 0) {
            return distribution.quantile(quantile);
        }
        DoubleList values = samples[index];
        return values == null ? Double.NaN : values.nearestRank(quantile);
    }
}
