package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.Labels;
import java.util.List;
import java.util.Objects;

/**
 * The exemplars of one Prometheus series, as {@code /api/v1/query_exemplars} returns them.
 *
 * @param seriesLabels the series the exemplars belong to (a histogram's {@code _bucket} whose {@code le} holds the
 *     exemplar's value, or a counter)
 * @param exemplars by time
 */
public record ExemplarSeries(Labels seriesLabels, List<Exemplar> exemplars) {
    public ExemplarSeries {
        Objects.requireNonNull(seriesLabels, "seriesLabels");
        exemplars = List.copyOf(exemplars);
    }

    /**
     * One exemplar.
     *
     * @param labels {@code trace_id}, {@code span_id} and the filtered attributes (sanitised names)
     * @param timestampMillis Unix epoch milliseconds
     */
    public record Exemplar(Labels labels, double value, long timestampMillis) {
        public Exemplar {
            Objects.requireNonNull(labels, "labels");
        }
    }
}
