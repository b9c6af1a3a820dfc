package io.otelservices.query.prometheus;

import io.otelservices.query.promql.QueryResult;
import io.otelservices.query.promql.Value;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link QueryEvaluator} that answers every query with a canned result or failure, and remembers the last call's
 * arguments. Thread-safe.
 */
final class FakeEvaluator implements QueryEvaluator {

    /** The arguments of one call; {@code stepMillis} is 0 for instant queries. */
    record Call(String query, long startMillis, long endMillis, long stepMillis, Duration timeout,
            Duration lookbackDelta) {}

    private final AtomicReference<QueryResult> result = new AtomicReference<>(
            new QueryResult(new Value.Vector(List.of()), List.of(), List.of(), 0));
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final AtomicReference<Call> lastCall = new AtomicReference<>();

    void answer(QueryResult answer) {
        result.set(answer);
        failure.set(null);
    }

    void fail(RuntimeException error) {
        failure.set(error);
    }

    @Override
    public QueryResult instant(String query, long timeMillis, Duration timeout, Duration lookbackDelta) {
        lastCall.set(new Call(query, timeMillis, timeMillis, 0, timeout, lookbackDelta));
        return respond();
    }

    @Override
    public QueryResult range(String query, long startMillis, long endMillis, long stepMillis, Duration timeout,
            Duration lookbackDelta) {
        lastCall.set(new Call(query, startMillis, endMillis, stepMillis, timeout, lookbackDelta));
        return respond();
    }

    private QueryResult respond() {
        RuntimeException error = failure.get();
        if (error != null) {
            throw error;
        }
        return result.get();
    }
}
