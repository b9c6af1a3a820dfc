package io.otelservices.query.prometheus;

import io.otelservices.query.promql.EngineOptions;
import io.otelservices.query.promql.PromQlEngine;
import io.otelservices.query.promql.QueryResult;
import io.otelservices.query.promql.Queryable;
import java.time.Duration;

/** {@link QueryEvaluator} of the PromQL engine over a {@link Queryable}. Thread-safe. */
final class EngineEvaluator implements QueryEvaluator {

    private final EngineOptions options;
    private final PromQlEngine engine;
    private final Queryable queryable;

    EngineEvaluator(EngineOptions options, Queryable queryable) {
        this.options = options;
        this.engine = new PromQlEngine(options);
        this.queryable = queryable;
    }

    @Override
    public QueryResult instant(String query, long timeMillis, Duration timeout, Duration lookbackDelta) {
        return engine(lookbackDelta).instantQuery(queryable, query, timeMillis, timeout);
    }

    @Override
    public QueryResult range(String query, long startMillis, long endMillis, long stepMillis, Duration timeout,
            Duration lookbackDelta) {
        return engine(lookbackDelta).rangeQuery(queryable, query, startMillis, endMillis, stepMillis, timeout);
    }

    /** The engine, or one with the query's own lookback delta (an engine is a light object). */
    private PromQlEngine engine(Duration lookbackDelta) {
        if (lookbackDelta == null || lookbackDelta.isZero() || lookbackDelta.isNegative()) {
            return engine;
        }
        return new PromQlEngine(options.withLookbackDelta(lookbackDelta));
    }
}
