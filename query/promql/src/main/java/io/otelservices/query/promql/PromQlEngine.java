package io.otelservices.query.promql;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs PromQL queries over a {@link Queryable}. Thread-safe; each query runs on the calling thread, which may block
 * on storage, so callers run it off event loops.
 */
public final class PromQlEngine {

    private final EngineOptions options;

    public PromQlEngine(EngineOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * Evaluates {@code query} at one time. The value is a scalar, a string, an instant vector or, for a range vector
     * expression, a matrix.
     *
     * @param timeout at most this long; {@code null} for the engine's timeout, and never longer than it
     * @throws QueryException a {@link io.otelservices.query.promql.parser.ParseException} (bad_data) for a query
     *     that does not parse, or an execution, timeout or internal error
     */
    public QueryResult instantQuery(Queryable queryable, String query, long timeMillis, Duration timeout) {
        return Evaluation.instant(options, queryable, query, timeMillis, deadline(timeout));
    }

    /**
     * Evaluates {@code query} at {@code start}, {@code start + step}, ... up to {@code end}; the value is a matrix.
     * The expression must be a scalar or an instant vector.
     */
    public QueryResult rangeQuery(Queryable queryable, String query, long startMillis, long endMillis, long stepMillis,
            Duration timeout) {
        if (stepMillis <= 0) {
            throw new QueryException(QueryException.Category.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new QueryException(QueryException.Category.BAD_DATA, "end timestamp must not be before start time");
        }
        return Evaluation.range(options, queryable, query, startMillis, endMillis, stepMillis, deadline(timeout));
    }

    private long deadline(Duration timeout) {
        Duration effective = timeout == null || timeout.compareTo(options.timeout()) > 0 ? options.timeout() : timeout;
        return System.nanoTime() + effective.toNanos();
    }
}
