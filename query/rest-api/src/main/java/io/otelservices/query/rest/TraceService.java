package io.otelservices.query.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceReader;
import io.otelservices.storage.TraceSummary;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code POST /api/v1/traces} (search) and {@code GET /api/v1/traces/{traceId}} through the {@link TraceReader}. */
final class TraceService {

    static final List<String> SEARCH_FIELDS = List.of("trace_id", "service_name", "operation", "start_time",
            "end_time", "min_duration", "max_duration", "attributes", "limit");
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    private final TraceReader traces;
    private final Clock clock;

    TraceService(TraceReader traces, Clock clock) {
        this.traces = traces;
        this.clock = clock;
    }

    CompletableFuture<byte[]> search(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        TraceQuery query = parseSearch(RequestFields.ofJsonBody(request.content().array(), SEARCH_FIELDS), clock);
        return traces.findTraces(query).thenApplyAsync(TraceService::renderSummaries, ctx.blockingTaskExecutor());
    }

    CompletableFuture<byte[]> get(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        RequestFields.ofQueryParams(ctx.queryParams(), List.of());
        String traceId = RequestFields.validTraceId("trace_id", ctx.pathParam("traceId"));
        return traces.getTrace(traceId, TimeRange.ALL).thenApplyAsync(spans -> {
            if (spans.isEmpty()) {
                throw ApiException.notFound("trace " + traceId + " not found");
            }
            return renderTrace(traceId, spans);
        }, ctx.blockingTaskExecutor());
    }

    static TraceQuery parseSearch(RequestFields fields, Clock clock) {
        String traceId = fields.traceId("trace_id");
        String serviceName = fields.nonEmptyString("service_name");
        String operation = fields.nonEmptyString("operation");
        TimeRange range = fields.timeRange(clock);
        Long minDuration = fields.durationNanos("min_duration");
        Long maxDuration = fields.durationNanos("max_duration");
        if (minDuration != null && maxDuration != null && maxDuration < minDuration) {
            throw ApiException.badRequest("max_duration",
                    maxDuration + "ns is less than min_duration " + minDuration + "ns", "max_duration >= min_duration");
        }
        List<AttributeFilter> attributes = fields.attributes("attributes");
        int limit = fields.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return new TraceQuery(range, traceId, serviceName, operation, minDuration, maxDuration, attributes, limit);
    }

    static byte[] renderSummaries(List<TraceSummary> summaries) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.startArray("traces");
        for (TraceSummary summary : summaries) {
            out.startObject();
            out.string("trace_id", summary.traceId());
            out.string("root_service", summary.rootServiceName());
            out.string("root_operation", summary.rootSpanName());
            out.time("start_time", summary.startNanos());
            out.nanos("start_time_unix_nano", summary.startNanos());
            out.nanos("duration_ns", summary.durationNanos());
            out.number("span_count", summary.spanCount());
            out.number("error_count", summary.errorCount());
            out.bool("has_error", summary.hasError());
            out.endObject();
        }
        out.endArray();
        out.endObject();
        return out.toBytes();
    }

    static byte[] renderTrace(String traceId, List<Span> spans) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.string("trace_id", traceId);
        out.startArray("spans");
        for (Span span : spans) {
            renderSpan(out, span);
        }
        out.endArray();
        out.endObject();
        return out.toBytes();
    }

    private static void renderSpan(JsonOutput out, Span span) {
        out.startObject();
        out.string("trace_id", span.traceId());
        out.string("span_id", span.spanId());
        out.string("parent_span_id", span.parentSpanId());
        out.string("trace_state", span.traceState());
        out.number("flags", span.flags());
        out.string("name", span.spanName());
        out.string("kind", span.spanKind());
        out.string("service_name", span.serviceName());
        out.time("start_time", span.timestampNanos());
        out.nanos("start_time_unix_nano", span.timestampNanos());
        out.time("end_time", span.endTimestampNanos());
        out.nanos("end_time_unix_nano", span.endTimestampNanos());
        out.nanos("duration_ns", span.durationNanos());
        out.string("status_code", span.statusCode());
        out.string("status_message", span.statusMessage());
        out.stringMap("attributes", span.attributes());
        out.number("dropped_attributes_count", span.droppedAttributesCount());
        out.resource(span.resource());
        out.scope(span.scope());
        out.startArray("events");
        for (SpanEvent event : span.events()) {
            out.startObject();
            out.time("time", event.timestampNanos());
            out.nanos("time_unix_nano", event.timestampNanos());
            out.string("name", event.name());
            out.stringMap("attributes", event.attributes());
            out.number("dropped_attributes_count", event.droppedAttributesCount());
            out.endObject();
        }
        out.endArray();
        out.number("dropped_events_count", span.droppedEventsCount());
        out.startArray("links");
        for (SpanLink link : span.links()) {
            out.startObject();
            out.string("trace_id", link.traceId());
            out.string("span_id", link.spanId());
            out.string("trace_state", link.traceState());
            out.number("flags", link.flags());
            out.stringMap("attributes", link.attributes());
            out.number("dropped_attributes_count", link.droppedAttributesCount());
            out.endObject();
        }
        out.endArray();
        out.number("dropped_links_count", span.droppedLinksCount());
        out.endObject();
    }
}
