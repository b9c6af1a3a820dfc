package io.otelservices.query.prometheus.mapping;

import io.otelservices.model.MetricValue;
import io.otelservices.query.prometheus.mapping.MetricFamily.Component;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exemplars as Prometheus series carry them (OpenTelemetry specification, "OTLP Metric points to Prometheus",
 * Exemplars): those of histograms go to the {@code _bucket} series whose {@code le} is the smallest bound at or
 * above the exemplar's value, those of monotonic sums to the counter; exemplars of gauges, non-monotonic sums and
 * summaries are dropped. Labels are {@code trace_id}, {@code span_id} and the filtered attributes. Not thread-safe.
 */
final class ExemplarCollector {

    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";

    private static final Comparator<ExemplarSeries.Exemplar> BY_TIME =
            Comparator.comparingLong(ExemplarSeries.Exemplar::timestampMillis);

    private final long startMillis;
    private final long endMillis;
    private final TreeMap<Labels, Set<ExemplarSeries.Exemplar>> bySeries = new TreeMap<>();

    ExemplarCollector(long startMillis, long endMillis) {
        this.startMillis = startMillis;
        this.endMillis = endMillis;
    }

    /**
     * Whether {@code family} can carry exemplars in its {@code component}. A metric that came from Prometheus keeps
     * them on its own series (its {@code _bucket} series arrive as series of their own).
     */
    static boolean carriesExemplars(MetricFamily family, Component component) {
        return family.kind() == MetricFamily.Kind.HISTOGRAM && component == Component.BUCKET
                || family.kind() == MetricFamily.Kind.COUNTER && component == Component.VALUE
                || family.fromPrometheus() && component == Component.VALUE;
    }

    /** Adds the exemplars of {@code series} whose series labels satisfy {@code matchers}. */
    void add(MetricFamily family, MetricSeries series, List<LabelMatcher> matchers) {
        Labels base = SeriesLabels.of(series, family.fromPrometheus()).build();
        Labels valueLabels = SeriesTranslator.named(base, family.baseName(), null, null);
        for (SeriesPoint point : series.points()) {
            for (io.otelservices.model.Exemplar exemplar : point.exemplars()) {
                long time = Math.floorDiv(exemplar.timestampNanos(), 1_000_000L);
                if (time < startMillis || time > endMillis) {
                    continue;
                }
                Labels labels;
                if (family.fromPrometheus() && family.kind() != MetricFamily.Kind.HISTOGRAM) {
                    labels = valueLabels;
                } else if (point.value() instanceof MetricValue.Histogram histogram) {
                    labels = SeriesTranslator.named(base, family.baseName() + Component.BUCKET.suffix(),
                            SeriesLabels.BUCKET_BOUND, bucketBound(histogram.explicitBounds(), exemplar.value()));
                } else if (point.value() instanceof MetricValue.Sum) {
                    labels = valueLabels;
                } else {
                    continue;
                }
                if (matchesAll(labels, matchers)) {
                    bySeries.computeIfAbsent(labels, l -> new LinkedHashSet<>())
                            .add(new ExemplarSeries.Exemplar(exemplarLabels(exemplar), exemplar.value(), time));
                }
            }
        }
    }

    /** The collected exemplars, series by labels, exemplars by time. */
    List<ExemplarSeries> result() {
        List<ExemplarSeries> result = new ArrayList<>(bySeries.size());
        for (Map.Entry<Labels, Set<ExemplarSeries.Exemplar>> entry : bySeries.entrySet()) {
            List<ExemplarSeries.Exemplar> exemplars = new ArrayList<>(entry.getValue());
            exemplars.sort(BY_TIME);
            result.add(new ExemplarSeries(entry.getKey(), exemplars));
        }
        return result;
    }

    private static String bucketBound(double[] bounds, double value) {
        for (double bound : bounds) {
            if (value <= bound) {
                return Numbers.format(bound);
            }
        }
        return "+Inf";
    }

    private static Labels exemplarLabels(io.otelservices.model.Exemplar exemplar) {
        Labels.Builder labels = Labels.newBuilder();
        SeriesLabels.putAttributes(labels, exemplar.filteredAttributes(), false);
        labels.set(TRACE_ID, exemplar.traceId());
        labels.set(SPAN_ID, exemplar.spanId());
        return labels.build();
    }

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
