package io.otelservices.storage.memory;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.Span;
import io.otelservices.storage.CodePointOrder;
import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.ServiceDependency;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@link DependencyReader} of {@link InMemoryStorage}: a scan of every span, joined to its parent by id. */
final class InMemoryDependencyReader implements DependencyReader {

    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    /** Parent, then child service, by code point. */
    private static final Comparator<List<String>> PAIR_ORDER = Comparator
            .<List<String>, String>comparing(pair -> pair.get(0), CodePointOrder.INSTANCE)
            .thenComparing(pair -> pair.get(1), CodePointOrder.INSTANCE);

    private final InMemoryStorage storage;

    InMemoryDependencyReader(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<List<ServiceDependency>> dependencies(TimeRange range) {
        requireNonNull(range, "range");
        return storage.read(() -> {
            // (parent service, child service) -> {calls, errors}
            Map<List<String>, long[]> counts = new TreeMap<>(PAIR_ORDER);
            for (Span child : storage.spans()) {
                if (child.isRoot() || !range.contains(child.timestampNanos())) {
                    continue;
                }
                long hour = Math.floorDiv(child.timestampNanos(), HOUR_NANOS);
                // Every stored span with the parent's id is a pair, as in a SQL join: a span stored twice counts
                // twice.
                for (Span parent : storage.spansOfTrace(child.traceId())) {
                    if (!parent.spanId().equals(child.parentSpanId())
                            || parent.serviceName().equals(child.serviceName())
                            || Math.floorDiv(parent.timestampNanos(), HOUR_NANOS) != hour) {
                        continue;
                    }
                    long[] pair = counts.computeIfAbsent(List.of(parent.serviceName(), child.serviceName()),
                            key -> new long[2]);
                    pair[0]++;
                    if (child.isError()) {
                        pair[1]++;
                    }
                }
            }
            List<ServiceDependency> dependencies = new ArrayList<>(counts.size());
            counts.forEach((pair, count) -> dependencies.add(
                    new ServiceDependency(pair.get(0), pair.get(1), count[0], count[1])));
            return dependencies;
        });
    }
}
