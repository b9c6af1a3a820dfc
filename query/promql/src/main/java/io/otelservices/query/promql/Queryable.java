package io.otelservices.query.promql;

import java.util.List;

/**
 * The engine's only way to data (Prometheus' {@code Querier}): series by label matchers. Implementations are
 * thread-safe and may block (the engine runs on a blocking executor).
 */
public interface Queryable {

    /**
     * Every series that has samples in {@code [hints.startMillis, hints.endMillis]} and whose labels satisfy all
     * {@code matchers}, with those samples (staleness markers included). Series come sorted by labels
     * ({@link Labels#compareTo}), each once.
     *
     * @throws QueryException for storage failures and limits, with the category to answer with
     */
    List<Series> select(SelectHints hints, List<LabelMatcher> matchers);

    /** Label sets of the series with samples in {@code [startMillis, endMillis]} that satisfy all matchers, sorted. */
    List<Labels> series(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit);

    /** Label names in use in {@code [startMillis, endMillis]}, by series satisfying all matchers (any when none). */
    List<String> labelNames(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit);

    /** Values of label {@code name} in {@code [startMillis, endMillis]}, by series satisfying all matchers. */
    List<String> labelValues(String name, long startMillis, long endMillis, List<LabelMatcher> matchers, int limit);
}
