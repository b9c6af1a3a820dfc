package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.QueryException;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.TimeRange;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Waits for storage reads (the engine calls the queryable on a blocking executor) and maps their failures to the
 * categories the Prometheus API answers with: a storage limit is an {@code execution} error, anything else
 * {@code internal}. Also converts the engine's inclusive millisecond ranges into storage's half-open nanosecond
 * ones.
 */
final class StorageReads {

    private StorageReads() {}

    /** The result of {@code read}, waiting for it. */
    static <T> T await(CompletableFuture<T> read, String what) {
        try {
            return read.join();
        } catch (CompletionException | CancellationException e) {
            throw failure(e, what);
        }
    }

    private static QueryException failure(RuntimeException e, String what) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof QueryException query) {
            return query;
        }
        if (cause instanceof QueryLimitExceededException limit) {
            return new QueryException(QueryException.Category.EXECUTION,
                    "query limit exceeded while reading " + what + ": " + limit.getMessage(), limit);
        }
        if (cause instanceof CancellationException) {
            return new QueryException(QueryException.Category.CANCELED, "reading " + what + " was canceled", cause);
        }
        return new QueryException(QueryException.Category.INTERNAL,
                "storage failed while reading " + what + ": " + cause, cause);
    }

    /**
     * Storage's range for the samples of {@code [startMillis, endMillis]}: every point whose time, truncated to the
     * millisecond, lies within. Saturates at the ends of {@code long}.
     */
    static TimeRange range(long startMillis, long endMillis) {
        long start = saturatedNanos(startMillis);
        long end = endMillis == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedNanos(endMillis + 1);
        return new TimeRange(start, Math.max(start, end));
    }

    private static long saturatedNanos(long millis) {
        if (millis >= Long.MAX_VALUE / 1_000_000L) {
            return Long.MAX_VALUE;
        }
        if (millis <= Long.MIN_VALUE / 1_000_000L) {
            return Long.MIN_VALUE;
        }
        return millis * 1_000_000L;
    }
}
