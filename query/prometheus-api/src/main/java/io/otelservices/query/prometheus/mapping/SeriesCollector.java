package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the Prometheus series of one selection: only label sets that satisfy every matcher get a buffer, series
 * with the same labels (from two stored series whose names or attributes translate alike) are merged, and more
 * than {@code maxSeries} label sets fail the query. Not thread-safe.
 */
final class SeriesCollector {

    private final List<LabelMatcher> matchers;
    private final int maxSeries;
    private final Map<Labels, SampleBuffer> series = new HashMap<>();

    SeriesCollector(List<LabelMatcher> matchers, int maxSeries) {
        this.matchers = matchers;
        this.maxSeries = maxSeries;
    }

    /**
     * The buffer for a new stored series' samples under {@code labels}, or {@code null} when the labels fail a
     * matcher. Each call returns a fresh buffer; {@link #add} merges it in once filled.
     */
    SampleBuffer buffer(Labels labels) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return null;
            }
        }
        return new SampleBuffer();
    }

    /** Keeps {@code samples} (from {@link #buffer}) under {@code labels}; empty buffers are ignored. */
    void add(Labels labels, SampleBuffer samples) {
        if (samples == null || samples.size() == 0) {
            return;
        }
        SampleBuffer existing = series.get(labels);
        if (existing != null) {
            existing.addAll(samples);
            return;
        }
        if (series.size() >= maxSeries) {
            throw new QueryException(QueryException.Category.EXECUTION, "series selected: more than " + maxSeries
                    + " (expected: <= " + maxSeries + "); narrow the selector or the time range");
        }
        series.put(labels, samples);
    }

    /** The collected series, sorted by labels. */
    List<Series> sorted() {
        List<Labels> labels = new ArrayList<>(series.keySet());
        labels.sort(null);
        List<Series> result = new ArrayList<>(labels.size());
        for (Labels set : labels) {
            result.add(series.get(set).toSeries(set));
        }
        return result;
    }
}
