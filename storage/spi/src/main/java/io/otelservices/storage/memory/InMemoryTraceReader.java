package io.otelservices.storage.memory;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.Span;
import io.otelservices.storage.CodePointOrder;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** The {@link TraceReader} of {@link InMemoryStorage}: full scans under the storage's read lock. */
final class InMemoryTraceReader implements TraceReader {

    /** Start time, then span id: the order of {@link #getTrace} and of picking a trace's earliest span. */
    static final Comparator<Span> START_ORDER =
            Comparator.comparingLong(Span::timestampNanos).thenComparing(Span::spanId, CodePointOrder.INSTANCE);

    private final InMemoryStorage storage;

    InMemoryTraceReader(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<List<TraceSummary>> findTraces(TraceQuery query) {
        requireNonNull(query, "query");
        return storage.read(() -> {
            // trace id -> latest start of a matching span
            Map<String, Long> latestMatch = new HashMap<>();
            for (Span span : storage.spans()) {
                if (matches(span, query)) {
                    latestMatch.merge(span.traceId(), span.timestampNanos(), Math::max);
                }
            }
            List<Map.Entry<String, Long>> found = new ArrayList<>(latestMatch.entrySet());
            found.sort(Map.Entry.<String, Long>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey()));
            List<TraceSummary> summaries = new ArrayList<>(Math.min(found.size(), query.limit()));
            for (int i = 0; i < found.size() && i < query.limit(); i++) {
                String traceId = found.get(i).getKey();
                summaries.add(summarize(traceId, storage.spansOfTrace(traceId)));
            }
            return summaries;
        });
    }

    @Override
    public CompletableFuture<List<Span>> getTrace(String traceId, TimeRange hint) {
        requireNonNull(traceId, "traceId");
        requireNonNull(hint, "hint");
        return storage.read(() -> {
            List<Span> trace = storage.spansOfTrace(traceId);
            if (trace == null) {
                return List.of();
            }
            List<Span> sorted = new ArrayList<>(trace);
            sorted.sort(START_ORDER);
            return sorted;
        });
    }

    @Override
    public CompletableFuture<List<ServiceStats>> serviceStats(TimeRange range) {
        requireNonNull(range, "range");
        return storage.read(() -> {
            Map<String, List<Span>> byService = new TreeMap<>(CodePointOrder.INSTANCE);
            for (Span span : storage.spans()) {
                if (range.contains(span.timestampNanos())) {
                    byService.computeIfAbsent(span.serviceName(), name -> new ArrayList<>()).add(span);
                }
            }
            List<ServiceStats> stats = new ArrayList<>(byService.size());
            for (Map.Entry<String, List<Span>> entry : byService.entrySet()) {
                List<Span> serviceSpans = entry.getValue();
                long[] durations = new long[serviceSpans.size()];
                long errors = 0;
                TreeSet<String> operations = new TreeSet<>(CodePointOrder.INSTANCE);
                for (int i = 0; i < durations.length; i++) {
                    Span span = serviceSpans.get(i);
                    durations[i] = span.durationNanos();
                    if (span.isError()) {
                        errors++;
                    }
                    operations.add(span.spanName());
                }
                Arrays.sort(durations);
                stats.add(new ServiceStats(entry.getKey(), durations.length, errors,
                        nearestRank(durations, 50), nearestRank(durations, 95), nearestRank(durations, 99),
                        new ArrayList<>(operations)));
            }
            return stats;
        });
    }

    @Override
    public CompletableFuture<List<String>> serviceNames(TimeRange range) {
        requireNonNull(range, "range");
        return storage.read(() -> {
            TreeSet<String> names = new TreeSet<>(CodePointOrder.INSTANCE);
            for (Span span : storage.spans()) {
                if (range.contains(span.timestampNanos())) {
                    names.add(span.serviceName());
                }
            }
            return new ArrayList<>(names);
        });
    }

    @Override
    public CompletableFuture<List<String>> spanNames(String serviceName, TimeRange range) {
        requireNonNull(serviceName, "serviceName");
        requireNonNull(range, "range");
        return storage.read(() -> {
            TreeSet<String> names = new TreeSet<>(CodePointOrder.INSTANCE);
            for (Span span : storage.spans()) {
                if (span.serviceName().equals(serviceName) && range.contains(span.timestampNanos())) {
                    names.add(span.spanName());
                }
            }
            return new ArrayList<>(names);
        });
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the value at 1-based rank ⌈percent × n / 100⌉, in
     * integer arithmetic so that no floating-point rounding moves the rank.
     */
    static long nearestRank(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        long rank = ((long) percent * sorted.length + 99) / 100;
        return sorted[(int) Math.max(rank, 1) - 1];
    }

    private static boolean matches(Span span, TraceQuery query) {
        if (!query.range().contains(span.timestampNanos())) {
            return false;
        }
        if (query.traceId() != null && !query.traceId().equals(span.traceId())) {
            return false;
        }
        if (query.serviceName() != null && !query.serviceName().equals(span.serviceName())) {
            return false;
        }
        if (query.spanName() != null && !query.spanName().equals(span.spanName())) {
            return false;
        }
        if (query.minDurationNanos() != null && span.durationNanos() < query.minDurationNanos()) {
            return false;
        }
        if (query.maxDurationNanos() != null && span.durationNanos() > query.maxDurationNanos()) {
            return false;
        }
        for (AttributeFilter filter : query.attributes()) {
            if (!filter.value().equals(span.attributes().get(filter.key()))
                    && !filter.value().equals(span.resource().attributes().get(filter.key()))) {
                return false;
            }
        }
        return true;
    }

    private static TraceSummary summarize(String traceId, List<Span> trace) {
        Span earliest = null;
        Span earliestRoot = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int errors = 0;
        for (Span span : trace) {
            start = Math.min(start, span.timestampNanos());
            end = Math.max(end, span.endTimestampNanos());
            if (span.isError()) {
                errors++;
            }
            if (earliest == null || START_ORDER.compare(span, earliest) < 0) {
                earliest = span;
            }
            if (span.isRoot() && (earliestRoot == null || START_ORDER.compare(span, earliestRoot) < 0)) {
                earliestRoot = span;
            }
        }
        Span root = earliestRoot != null ? earliestRoot : earliest;
        return new TraceSummary(traceId, root.serviceName(), root.spanName(), start, end - start, trace.size(),
                errors);
    }
}
