package io.otelservices.storage;

import io.otelservices.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads traces and span statistics. Thread-safe. */
public interface TraceReader {

    /** Traces matching {@code query}, newest first, at most {@code query.limit()}. */
    CompletableFuture<List<TraceSummary>> findTraces(TraceQuery query);

    /**
     * Every stored span of the trace, ordered by start time, then span id; an empty list for an unknown trace.
     *
     * @param traceId lower-case hex
     * @param hint where the caller believes the trace lies, or {@link TimeRange#ALL}; a backend may use it to
     *     prune, but must still return spans outside it
     */
    CompletableFuture<List<Span>> getTrace(String traceId, TimeRange hint);

    /** Per-service span statistics for spans that started in {@code range}, sorted by service name. */
    CompletableFuture<List<ServiceStats>> serviceStats(TimeRange range);

    /** Distinct service names with spans in {@code range}, sorted. */
    CompletableFuture<List<String>> serviceNames(TimeRange range);

    /** Distinct span names of {@code serviceName} in {@code range}, sorted. */
    CompletableFuture<List<String>> spanNames(String serviceName, TimeRange range);
}
