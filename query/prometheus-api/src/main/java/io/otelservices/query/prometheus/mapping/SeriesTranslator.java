package io.otelservices.query.prometheus.mapping;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.query.prometheus.mapping.MetricFamily.Component;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.Series;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the points of one stored series into Prometheus samples (OpenTelemetry specification, "OTLP Metric points to
 * Prometheus"): gauges and cumulative sums as they are; delta sums and histograms accumulated into running totals;
 * histograms as cumulative {@code _bucket{le}} counts up to {@code +Inf} (which is the count), {@code _sum} (where
 * the point has one) and {@code _count}; summaries as {@code {quantile}} series, {@code _sum} and {@code _count}.
 * A point flagged "no recorded value" becomes a staleness marker ({@link Series#STALE_NAN}) in each series.
 *
 * <p>Delta accumulation starts at the first point read: a query sees running totals since the start of the window
 * it reads, not since the process started, which {@code rate} and {@code increase} do not mind but a raw counter
 * value shows. Not thread-safe; one per selection.
 */
final class SeriesTranslator {

    private final SeriesCollector out;
    private final long startMillis;
    private final long endMillis;

    SeriesTranslator(SeriesCollector out, long startMillis, long endMillis) {
        this.out = out;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
    }

    /** Whether {@code series} belongs to {@code family} (a name may be stored with several types or units). */
    static boolean belongsTo(MetricSeries series, MetricFamily family) {
        return series.type() == family.stored().type() && series.metricUnit().equals(family.stored().metricUnit());
    }

    /** Adds the Prometheus series of {@code components} of a stored series of {@code family}. */
    void add(MetricFamily family, MetricSeries series, Set<Component> components) {
        Labels base = SeriesLabels.of(series, family.fromPrometheus()).build();
        switch (family.kind()) {
            case GAUGE, COUNTER -> addValues(family, series, base);
            case HISTOGRAM -> addHistogram(family, series, base, components);
            case SUMMARY -> addSummary(family, series, base, components);
        }
    }

    private void addValues(MetricFamily family, MetricSeries series, Labels base) {
        Output samples = new Output(named(base, family.baseName(), null, null), true);
        if (samples.samples == null) {
            return;
        }
        double total = 0;
        for (SeriesPoint point : series.points()) {
            long time = millis(point);
            if (time < startMillis || time > endMillis) {
                continue;
            }
            if (isStale(point)) {
                samples.add(time, Series.STALE_NAN);
            } else if (point.value() instanceof MetricValue.Sum sum) {
                samples.add(time, sum.temporality() == AggregationTemporality.DELTA ? (total += sum.value())
                        : sum.value());
            } else if (point.value() instanceof MetricValue.Gauge gauge) {
                samples.add(time, gauge.value());
            }
        }
        samples.flush();
    }

    private void addHistogram(MetricFamily family, MetricSeries series, Labels base, Set<Component> components) {
        String name = family.baseName();
        boolean withBuckets = components.contains(Component.BUCKET);
        Output sum = output(base, name, Component.SUM, components);
        Output count = output(base, name, Component.COUNT, components);
        Output inf = new Output(named(base, name + Component.BUCKET.suffix(), SeriesLabels.BUCKET_BOUND, "+Inf"),
                withBuckets);
        TreeMap<Double, Output> buckets = new TreeMap<>();
        Accumulator total = new Accumulator();
        for (SeriesPoint point : series.points()) {
            long time = millis(point);
            if (time < startMillis || time > endMillis || !(point.value() instanceof MetricValue.Histogram h)) {
                continue;
            }
            if (withBuckets) {
                for (double bound : h.explicitBounds()) {
                    buckets.computeIfAbsent(bound, b -> new Output(named(base, name + Component.BUCKET.suffix(),
                            SeriesLabels.BUCKET_BOUND, Numbers.format(b)), true));
                }
            }
            if (isStale(point)) {
                for (Output bucket : buckets.values()) {
                    bucket.add(time, Series.STALE_NAN);
                }
                inf.add(time, Series.STALE_NAN);
                sum.add(time, Series.STALE_NAN);
                count.add(time, Series.STALE_NAN);
                continue;
            }
            total.add(h);
            if (withBuckets) {
                long cumulative = 0;
                int n = Math.min(total.bounds.length, total.buckets.length);
                for (int i = 0; i < n; i++) {
                    cumulative += total.buckets[i];
                    buckets.get(total.bounds[i]).add(time, cumulative);
                }
                inf.add(time, total.count);
            }
            if (!Double.isNaN(h.sum())) {
                sum.add(time, total.sum);
            }
            count.add(time, total.count);
        }
        for (Output bucket : buckets.values()) {
            bucket.flush();
        }
        inf.flush();
        sum.flush();
        count.flush();
    }

    private void addSummary(MetricFamily family, MetricSeries series, Labels base, Set<Component> components) {
        String name = family.baseName();
        boolean withQuantiles = components.contains(Component.VALUE);
        Output sum = output(base, name, Component.SUM, components);
        Output count = output(base, name, Component.COUNT, components);
        Map<Double, Output> quantiles = new TreeMap<>();
        for (SeriesPoint point : series.points()) {
            long time = millis(point);
            if (time < startMillis || time > endMillis || !(point.value() instanceof MetricValue.Summary s)) {
                continue;
            }
            boolean stale = isStale(point);
            if (withQuantiles) {
                for (MetricValue.ValueAtQuantile quantile : s.quantiles()) {
                    quantiles.computeIfAbsent(quantile.quantile(), q -> new Output(
                            named(base, name, SeriesLabels.QUANTILE, Numbers.format(q)), true))
                            .add(time, stale ? Series.STALE_NAN : quantile.value());
                }
                if (stale) {
                    for (Output quantile : quantiles.values()) {
                        quantile.add(time, Series.STALE_NAN);
                    }
                }
            }
            sum.add(time, stale ? Series.STALE_NAN : s.sum());
            count.add(time, stale ? Series.STALE_NAN : s.count());
        }
        for (Output quantile : quantiles.values()) {
            quantile.flush();
        }
        sum.flush();
        count.flush();
    }

    /** The {@code _sum} or {@code _count} series of a stored series. */
    private Output output(Labels base, String name, Component component, Set<Component> components) {
        return new Output(named(base, name + component.suffix(), null, null), components.contains(component));
    }

    /** {@code base} with {@code __name__} and, when {@code extraName} is not null, one more label. */
    static Labels named(Labels base, String metricName, String extraName, String extraValue) {
        Labels.Builder builder = base.builder().set(Labels.METRIC_NAME, metricName);
        if (extraName != null) {
            builder.set(extraName, extraValue);
        }
        return builder.build();
    }

    static long millis(SeriesPoint point) {
        return Math.floorDiv(point.timeNanos(), 1_000_000L);
    }

    static boolean isStale(SeriesPoint point) {
        return (point.flags() & MetricPoint.FLAG_NO_RECORDED_VALUE) != 0;
    }

    /**
     * One Prometheus series of a stored series while its samples are added: nothing is kept when its component was
     * not asked for or its labels fail a matcher.
     */
    private final class Output {
        final Labels labels;
        final SampleBuffer samples;

        Output(Labels labels, boolean wanted) {
            this.labels = labels;
            this.samples = wanted ? out.buffer(labels) : null;
        }

        void add(long time, double value) {
            if (samples != null) {
                samples.add(time, value);
            }
        }

        void flush() {
            out.add(labels, samples);
        }
    }

    /**
     * A histogram's totals: a cumulative point's own values, or the running sums of delta points (reset when the
     * bucket layout changes, since counts of different bounds cannot be added).
     */
    private static final class Accumulator {
        long count;
        double sum;
        long[] buckets = new long[0];
        double[] bounds = new double[0];
        boolean started;

        void add(MetricValue.Histogram h) {
            boolean delta = h.temporality() == AggregationTemporality.DELTA;
            if (!delta || !started || !Arrays.equals(bounds, h.explicitBounds())
                    || buckets.length != h.bucketCounts().length) {
                count = h.count();
                sum = Double.isNaN(h.sum()) ? 0 : h.sum();
                buckets = h.bucketCounts().clone();
                bounds = h.explicitBounds();
                started = true;
                return;
            }
            count += h.count();
            if (!Double.isNaN(h.sum())) {
                sum += h.sum();
            }
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += h.bucketCounts()[i];
            }
        }
    }
}
