package io.otelservices.query.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.model.Severity;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceReader;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/services/stats}: {@link TraceReader#serviceStats} and {@link LogReader#severityCounts}, asked
 * concurrently and merged per service; a service with only spans or only logs appears with zeros for the other.
 */
final class ServiceStatsService {

    static final List<String> FIELDS = List.of("start_time", "end_time");

    private static final Severity[] SEVERITIES = Severity.values();

    private final TraceReader traces;
    private final LogReader logs;
    private final Clock clock;
    private final QueryCache cache;

    ServiceStatsService(TraceReader traces, LogReader logs, Clock clock, QueryCache cache) {
        this.traces = traces;
        this.logs = logs;
        this.clock = clock;
        this.cache = cache;
    }

    CompletableFuture<byte[]> stats(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        TimeRange range = RequestFields.ofQueryParams(ctx.queryParams(), FIELDS).timeRange(clock);
        return cache.get(QueryType.SERVICE_STATS, range, range, () -> {
            CompletableFuture<List<ServiceStats>> spanStats = traces.serviceStats(range);
            CompletableFuture<List<SeverityCount>> logCounts = logs.severityCounts(range);
            return spanStats.thenCombineAsync(logCounts, (stats, counts) -> render(range, stats, counts),
                    ctx.blockingTaskExecutor());
        });
    }

    /** One service's row while merging. */
    private static final class Row {
        ServiceStats spans;
        final long[] logCounts = new long[SEVERITIES.length];
    }

    static byte[] render(TimeRange range, List<ServiceStats> stats, List<SeverityCount> counts) {
        Map<String, Row> rows = new TreeMap<>();
        for (ServiceStats one : stats) {
            rows.computeIfAbsent(one.serviceName(), name -> new Row()).spans = one;
        }
        for (SeverityCount count : counts) {
            Row row = rows.computeIfAbsent(count.serviceName(), name -> new Row());
            row.logCounts[Severity.ofNumber(count.severityNumber()).ordinal()] += count.count();
        }
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.time("start_time", range.startNanos());
        out.time("end_time", range.endNanos());
        out.startArray("services");
        for (Map.Entry<String, Row> entry : rows.entrySet()) {
            ServiceStats spans = entry.getValue().spans;
            long spanCount = spans == null ? 0 : spans.spanCount();
            long errorCount = spans == null ? 0 : spans.errorCount();
            out.startObject();
            out.string("service_name", entry.getKey());
            out.number("span_count", spanCount);
            out.number("error_count", errorCount);
            out.number("error_rate", spanCount == 0 ? 0.0 : errorCount / (double) spanCount);
            out.startObject("latency_ns");
            out.nanos("p50", spans == null ? 0 : spans.p50DurationNanos());
            out.nanos("p95", spans == null ? 0 : spans.p95DurationNanos());
            out.nanos("p99", spans == null ? 0 : spans.p99DurationNanos());
            out.endObject();
            out.startArray("operations");
            if (spans != null) {
                for (String operation : spans.operations()) {
                    out.stringValue(operation);
                }
            }
            out.endArray();
            out.startObject("log_counts");
            long[] logCounts = entry.getValue().logCounts;
            for (Severity severity : SEVERITIES) {
                out.number(severity.name(), logCounts[severity.ordinal()]);
            }
            out.endObject();
            out.endObject();
        }
        out.endArray();
        out.endObject();
        return out.toBytes();
    }
}
