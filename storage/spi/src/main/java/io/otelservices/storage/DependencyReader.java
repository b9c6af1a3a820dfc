package io.otelservices.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads the service dependency graph: which service calls which, how often, how often failing. Thread-safe. */
public interface DependencyReader {

    /**
     * The calls between services whose child span started in {@code range}, one entry per (parent service, child
     * service), sorted by parent, then child (by code point).
     *
     * <p>A call is a pair of spans of one trace where the child's {@code parentSpanId} is the parent's
     * {@code spanId}, the two spans have different service names, and both started in the same clock hour (UTC).
     * The hour rule lets a backend answer whole hours from hourly rollups with the same result as from raw spans;
     * a call whose parent started in the hour before the child's is not counted. An error is a child span with
     * status {@code Error}.
     *
     * <p>A backend that answers whole hours from rollups made when it stores data for good may miss a call whose
     * parent and child reached it far apart in time (its documentation says when); the contract suite writes each
     * call's spans together.
     */
    CompletableFuture<List<ServiceDependency>> dependencies(TimeRange range);
}
