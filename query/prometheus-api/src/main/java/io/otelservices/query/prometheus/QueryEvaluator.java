package io.otelservices.query.prometheus;

import io.otelservices.query.promql.QueryResult;
import java.time.Duration;

/**
 * Evaluates PromQL for the API: the engine over the stored series ({@link EngineEvaluator}) in production, a
 * hand-written fake in tests that need failures the engine does not produce on demand. Implementations are
 * thread-safe and may block.
 */
interface QueryEvaluator {

    /**
     * @param timeout at most this long, capped by the engine's own timeout
     * @param lookbackDelta the query's {@code lookback_delta}, or {@code null} for the engine's
     * @throws io.otelservices.query.promql.QueryException with the category to answer with
     */
    QueryResult instant(String query, long timeMillis, Duration timeout, Duration lookbackDelta);

    /** As {@link #instant}, at {@code start}, {@code start + step}, ... up to {@code end}. */
    QueryResult range(String query, long startMillis, long endMillis, long stepMillis, Duration timeout,
            Duration lookbackDelta);
}
