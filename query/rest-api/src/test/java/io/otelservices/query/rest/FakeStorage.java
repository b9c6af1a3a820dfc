package io.otelservices.query.rest;

import io.otelservices.model.LogRecord;
import io.otelservices.model.Span;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.CheckResult;
import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.ServiceDependency;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A hand-written storage fake: canned spans, log records and metric series, answered by straightforward scans that
 * follow the SPI's documented contracts. It records the last query of each kind, and can fail every read with a
 * given error. {@link OverCapacityException} is what it calls over capacity. Thread-safe enough for tests: the
 * canned lists are copy-on-write and the fields volatile.
 */
final class FakeStorage implements StorageBackend {

    /** The error this backend reports as over capacity. */
    static final class OverCapacityException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverCapacityException(String message) {
            super(message);
        }
    }

    final List<Span> spans = new CopyOnWriteArrayList<>();
    final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    final List<MetricSeries> series = new CopyOnWriteArrayList<>();

    /** Read calls answered or failed, over every reader. */
    final AtomicInteger reads = new AtomicInteger();
    volatile RuntimeException failure;
    volatile TraceQuery lastTraceQuery;
    volatile String lastTraceId;
    volatile TimeRange lastTraceHint;
    volatile LogQuery lastLogQuery;
    volatile SeriesQuery lastSeriesQuery;
    volatile TimeRange lastStatsRange;
    volatile TimeRange lastDependencyRange;

    void clear() {
        spans.clear();
        logs.clear();
        series.clear();
        failure = null;
        lastTraceQuery = null;
        lastTraceId = null;
        lastTraceHint = null;
        lastLogQuery = null;
        lastSeriesQuery = null;
        lastStatsRange = null;
        lastDependencyRange = null;
        reads.set(0);
    }

    private <T> CompletableFuture<T> answer(Supplier<T> result) {
        reads.incrementAndGet();
        RuntimeException error = failure;
        if (error != null) {
            return CompletableFuture.failedFuture(error);
        }
        try {
            return CompletableFuture.completedFuture(result.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public BatchWriter writer() {
        throw new UnsupportedOperationException("the fake is read-only");
    }

    @Override
    public TraceReader traces() {
        return traceReader;
    }

    @Override
    public LogReader logs() {
        return logReader;
    }

    @Override
    public SeriesReader series() {
        return seriesReader;
    }

    @Override
    public DependencyReader dependencies() {
        return dependencyReader;
    }

    @Override
    public CheckResult check() {
        return CheckResult.OK;
    }

    @Override
    public boolean isOverCapacity(Throwable error) {
        return error instanceof OverCapacityException;
    }

    @Override
    public void close() {}

    private static boolean matches(List<AttributeFilter> filters, Map<String, String> own, Map<String, String> resource) {
        for (AttributeFilter filter : filters) {
            if (!filter.value().equals(own.get(filter.key())) && !filter.value().equals(resource.get(filter.key()))) {
                return false;
            }
        }
        return true;
    }

    private static long nearestRank(List<Long> sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.size() - 1e-9);
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private final TraceReader traceReader = new TraceReader() {
        @Override
        public CompletableFuture<List<TraceSummary>> findTraces(TraceQuery query) {
            lastTraceQuery = query;
            return answer(() -> {
                Map<String, Long> latestMatch = new LinkedHashMap<>();
                for (Span span : spans) {
                    if (query.range().contains(span.timestampNanos())
                            && (query.traceId() == null || query.traceId().equals(span.traceId()))
                            && (query.serviceName() == null || query.serviceName().equals(span.serviceName()))
                            && (query.spanName() == null || query.spanName().equals(span.spanName()))
                            && (query.minDurationNanos() == null || span.durationNanos() >= query.minDurationNanos())
                            && (query.maxDurationNanos() == null || span.durationNanos() <= query.maxDurationNanos())
                            && matches(query.attributes(), span.attributes(), span.resource().attributes())) {
                        latestMatch.merge(span.traceId(), span.timestampNanos(), Math::max);
                    }
                }
                List<String> ids = new ArrayList<>(latestMatch.keySet());
                ids.sort(Comparator.comparing((String id) -> latestMatch.get(id)).reversed());
                List<TraceSummary> summaries = new ArrayList<>();
                for (String id : ids.subList(0, Math.min(query.limit(), ids.size()))) {
                    summaries.add(summarize(id));
                }
                return summaries;
            });
        }

        private TraceSummary summarize(String traceId) {
            List<Span> trace = spansOf(traceId);
            Span root = trace.stream().filter(Span::isRoot).findFirst().orElse(trace.get(0));
            long start = trace.stream().mapToLong(Span::timestampNanos).min().orElseThrow();
            long end = trace.stream().mapToLong(Span::endTimestampNanos).max().orElseThrow();
            int errors = (int) trace.stream().filter(Span::isError).count();
            return new TraceSummary(traceId, root.serviceName(), root.spanName(), start, end - start, trace.size(),
                    errors);
        }

        private List<Span> spansOf(String traceId) {
            List<Span> trace = new ArrayList<>();
            for (Span span : spans) {
                if (span.traceId().equals(traceId)) {
                    trace.add(span);
                }
            }
            trace.sort(Comparator.comparingLong(Span::timestampNanos).thenComparing(Span::spanId));
            return trace;
        }

        @Override
        public CompletableFuture<List<Span>> getTrace(String traceId, TimeRange hint) {
            lastTraceId = traceId;
            lastTraceHint = hint;
            return answer(() -> spansOf(traceId));
        }

        @Override
        public CompletableFuture<List<ServiceStats>> serviceStats(TimeRange range) {
            lastStatsRange = range;
            return answer(() -> {
                Map<String, List<Span>> byService = new TreeMap<>();
                for (Span span : spans) {
                    if (range.contains(span.timestampNanos())) {
                        byService.computeIfAbsent(span.serviceName(), name -> new ArrayList<>()).add(span);
                    }
                }
                List<ServiceStats> stats = new ArrayList<>();
                byService.forEach((service, serviceSpans) -> {
                    List<Long> durations = new ArrayList<>();
                    TreeSet<String> operations = new TreeSet<>();
                    long errors = 0;
                    for (Span span : serviceSpans) {
                        durations.add(span.durationNanos());
                        operations.add(span.spanName());
                        errors += span.isError() ? 1 : 0;
                    }
                    durations.sort(null);
                    stats.add(new ServiceStats(service, serviceSpans.size(), errors, nearestRank(durations, 0.5),
                            nearestRank(durations, 0.95), nearestRank(durations, 0.99), List.copyOf(operations)));
                });
                return stats;
            });
        }

        @Override
        public CompletableFuture<List<String>> serviceNames(TimeRange range) {
            return answer(() -> spans.stream().filter(s -> range.contains(s.timestampNanos()))
                    .map(Span::serviceName).distinct().sorted().toList());
        }

        @Override
        public CompletableFuture<List<String>> spanNames(String serviceName, TimeRange range) {
            return answer(() -> spans.stream()
                    .filter(s -> range.contains(s.timestampNanos()) && s.serviceName().equals(serviceName))
                    .map(Span::spanName).distinct().sorted().toList());
        }
    };

    private final LogReader logReader = new LogReader() {
        @Override
        public CompletableFuture<LogPage> findLogs(LogQuery query) {
            lastLogQuery = query;
            return answer(() -> {
                List<LogRecord> matching = new ArrayList<>();
                for (LogRecord record : logs) {
                    if (query.range().contains(record.timestampNanos())
                            && (query.serviceName() == null || query.serviceName().equals(record.serviceName()))
                            && record.severityNumber() >= query.minSeverityNumber()
                            && (query.searchText() == null || record.body().toLowerCase()
                                    .contains(query.searchText().toLowerCase()))
                            && (query.traceId() == null || query.traceId().equals(record.traceId()))
                            && matches(query.attributes(), record.attributes(), record.resource().attributes())) {
                        matching.add(record);
                    }
                }
                matching.sort(LogQuery.NEWEST_FIRST);
                LogCursor after = query.after();
                int skippedAtTimestamp = 0;
                List<LogRecord> rest = new ArrayList<>();
                for (LogRecord record : matching) {
                    if (after != null && record.timestampNanos() > after.timestampNanos()) {
                        continue;
                    }
                    if (after != null && record.timestampNanos() == after.timestampNanos()
                            && skippedAtTimestamp < after.skipAtTimestamp()) {
                        skippedAtTimestamp++;
                        continue;
                    }
                    rest.add(record);
                }
                List<LogRecord> page = rest.subList(0, Math.min(query.limit(), rest.size()));
                LogCursor next = null;
                if (rest.size() > page.size()) {
                    long last = page.get(page.size() - 1).timestampNanos();
                    int atLast = 0;
                    for (LogRecord record : page) {
                        atLast += record.timestampNanos() == last ? 1 : 0;
                    }
                    if (after != null && after.timestampNanos() == last) {
                        atLast += after.skipAtTimestamp();
                    }
                    next = new LogCursor(last, atLast);
                }
                return new LogPage(page, next);
            });
        }

        @Override
        public CompletableFuture<List<SeverityCount>> severityCounts(TimeRange range) {
            lastStatsRange = range;
            return answer(() -> {
                Map<String, Map<Integer, Long>> counts = new TreeMap<>();
                for (LogRecord record : logs) {
                    if (range.contains(record.timestampNanos())) {
                        counts.computeIfAbsent(record.serviceName(), name -> new TreeMap<>())
                                .merge(record.severityNumber(), 1L, Long::sum);
                    }
                }
                List<SeverityCount> result = new ArrayList<>();
                counts.forEach((service, bySeverity) -> bySeverity.forEach(
                        (severity, count) -> result.add(new SeverityCount(service, severity, count))));
                return result;
            });
        }
    };

    private final SeriesReader seriesReader = new SeriesReader() {
        @Override
        public CompletableFuture<List<MetricSeries>> select(SeriesQuery query) {
            lastSeriesQuery = query;
            return answer(() -> {
                List<MetricSeries> selected = new ArrayList<>();
                for (MetricSeries one : series) {
                    if (!one.metricName().equals(query.metricName())
                            || (query.serviceName() != null && !query.serviceName().equals(one.serviceName()))
                            || !matches(query.attributes(), one.attributes(), one.resourceAttributes())) {
                        continue;
                    }
                    List<SeriesPoint> points = new ArrayList<>();
                    for (SeriesPoint point : one.points()) {
                        if (query.range().contains(point.timeNanos())) {
                            points.add(point);
                        }
                    }
                    if (!points.isEmpty()) {
                        selected.add(new MetricSeries(one.type(), one.metricName(), one.metricUnit(),
                                one.metricDescription(), one.serviceName(), one.resourceAttributes(), one.scopeName(),
                                one.scopeVersion(), one.attributes(), points));
                    }
                }
                if (selected.size() > query.maxSeries()) {
                    throw new QueryLimitExceededException(
                            selected.size() + " series match (expected: at most " + query.maxSeries() + ")");
                }
                return selected;
            });
        }

        @Override
        public CompletableFuture<List<MetricName>> metricNames(String serviceName, TimeRange range) {
            return answer(List::of);
        }
    };

    /** Parent/child pairs of one trace whose services differ and whose spans started in the same hour. */
    private final DependencyReader dependencyReader = range -> {
        lastDependencyRange = range;
        return answer(() -> {
            long hour = 3_600_000_000_000L;
            Map<String, long[]> counts = new TreeMap<>();
            for (Span child : spans) {
                if (!range.contains(child.timestampNanos())) {
                    continue;
                }
                for (Span parent : spans) {
                    if (parent.traceId().equals(child.traceId()) && parent.spanId().equals(child.parentSpanId())
                            && !parent.serviceName().equals(child.serviceName())
                            && Math.floorDiv(parent.timestampNanos(), hour)
                                    == Math.floorDiv(child.timestampNanos(), hour)) {
                        long[] count = counts.computeIfAbsent(parent.serviceName() + "\n" + child.serviceName(),
                                key -> new long[2]);
                        count[0]++;
                        count[1] += child.isError() ? 1 : 0;
                    }
                }
            }
            List<ServiceDependency> result = new ArrayList<>();
            counts.forEach((pair, count) -> {
                String[] services = pair.split("\n", 2);
                result.add(new ServiceDependency(services[0], services[1], count[0], count[1]));
            });
            return result;
        });
    };
}
