package io.otelservices.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelservices.bench.LogFleet.GeneratedLog;
import io.otelservices.bench.TraceFleet.GeneratedSpan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the pool of encoded requests for one signal before any timing starts, so that generation cost is not
 * measured. The same seed gives the same requests, byte for byte. Also gathers the pool's statistics for
 * {@code -dry-run} and {@code docs/LOADGEN.md}.
 */
final class RequestPool {

    private static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0";
    private static final byte SPAN_TRACE_ID_TAG = 0x0A;      // Span.trace_id: field 1, length-delimited
    private static final byte LOG_TRACE_ID_TAG = 0x4A;       // LogRecord.trace_id: field 9, length-delimited
    private static final byte[] ZIPKIN_TRACE_ID = "\"traceId\":\"".getBytes(StandardCharsets.US_ASCII);

    final Signal signal;
    final List<GeneratedRequest> requests = new ArrayList<>();
    long items;
    long bytes;
    // statistics
    long traces;
    long errorSpans;
    int minSpansPerTrace = Integer.MAX_VALUE;
    int maxSpansPerTrace;
    long logsWithTraceContext;
    long logBodyChars;
    long logJsonBodies;
    long logWarnOrAbove;
    long protobufBytesForZipkin;

    private RequestPool(Signal signal) {
        this.signal = signal;
    }

    /** Builds about {@code poolItems} items of {@code signal} in requests of about {@code batch} items. */
    static RequestPool build(Signal signal, String target, long seed, long poolItems, int batch, long baseNanos) {
        RequestPool pool = new RequestPool(signal);
        ServiceCatalog catalog = new ServiceCatalog(seed);
        switch (signal) {
            case TRACES -> pool.buildTraces(catalog, target.equals("zipkin"), seed, poolItems, batch, baseNanos);
            case LOGS -> pool.buildLogs(catalog, seed, poolItems, batch, baseNanos);
            case METRICS -> pool.buildMetrics(catalog, seed, poolItems, batch, baseNanos);
        }
        return pool;
    }

    private void buildTraces(ServiceCatalog catalog, boolean zipkin, long seed, long poolItems, int batch,
            long baseNanos) {
        TraceFleet fleet = new TraceFleet(seed);
        List<GeneratedSpan> spans = new ArrayList<>(batch + 64);
        long[] highs = new long[64];
        long[] lows = new long[64];
        int[] counts = new int[64];
        long traceIndex = 0;
        while (items < poolItems) {
            spans.clear();
            int traceCount = 0;
            while (spans.size() < batch) {
                int before = spans.size();
                long high = fleet.trace(baseNanos + traceIndex++ * 1_000_000L, spans);
                if (traceCount == highs.length) {
                    highs = Arrays.copyOf(highs, traceCount * 2);
                    lows = Arrays.copyOf(lows, traceCount * 2);
                    counts = Arrays.copyOf(counts, traceCount * 2);
                }
                highs[traceCount] = high;
                lows[traceCount] = OtlpValues.getLong(spans.get(before).span().getTraceId().toByteArray(), 8);
                counts[traceCount] = spans.size() - before;
                minSpansPerTrace = Math.min(minSpansPerTrace, counts[traceCount]);
                maxSpansPerTrace = Math.max(maxSpansPerTrace, counts[traceCount]);
                traceCount++;
            }
            for (GeneratedSpan span : spans) {
                if (span.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
                    errorSpans++;
                }
            }
            ExportTraceServiceRequest request = traceRequest(catalog, spans);
            byte[] body;
            int[] offsets;
            long[] sortedHighs = Arrays.copyOf(highs, traceCount);
            Arrays.sort(sortedHighs);
            if (zipkin) {
                List<ZipkinJson.ServiceSpan> serviceSpans = new ArrayList<>(spans.size());
                for (GeneratedSpan span : spans) {
                    serviceSpans.add(new ZipkinJson.ServiceSpan(catalog.serviceName(span.resourceIndex()),
                            TraceFleet.SCOPES[span.scopeIndex()], span.span()));
                }
                body = ZipkinJson.encode(serviceSpans);
                offsets = hexOffsets(body);
                protobufBytesForZipkin += request.getSerializedSize();
            } else {
                body = request.toByteArray();
                offsets = binaryOffsets(body, SPAN_TRACE_ID_TAG, sortedHighs);
            }
            if (offsets.length != spans.size()) {
                throw new IllegalStateException("found " + offsets.length + " trace ids in a request of "
                        + spans.size() + " spans (expected: one per span)");
            }
            add(new GeneratedRequest(signal, body, spans.size(), offsets, zipkin, Arrays.copyOf(highs, traceCount),
                    Arrays.copyOf(lows, traceCount), Arrays.copyOf(counts, traceCount)));
            traces += traceCount;
        }
    }

    private static ExportTraceServiceRequest traceRequest(ServiceCatalog catalog, List<GeneratedSpan> spans) {
        Map<Integer, Map<Integer, List<Span>>> grouped = new LinkedHashMap<>();
        for (GeneratedSpan span : spans) {
            grouped.computeIfAbsent(span.resourceIndex(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(span.scopeIndex(), s -> new ArrayList<>()).add(span.span());
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (Map.Entry<Integer, Map<Integer, List<Span>>> resource : grouped.entrySet()) {
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder()
                    .setResource(catalog.resource(resource.getKey())).setSchemaUrl(SCHEMA_URL);
            for (Map.Entry<Integer, List<Span>> scope : resource.getValue().entrySet()) {
                resourceSpans.addScopeSpans(ScopeSpans.newBuilder().setScope(TraceFleet.SCOPES[scope.getKey()])
                        .addAllSpans(scope.getValue()));
            }
            request.addResourceSpans(resourceSpans);
        }
        return request.build();
    }

    private void buildLogs(ServiceCatalog catalog, long seed, long poolItems, int batch, long baseNanos) {
        LogFleet fleet = new LogFleet(seed, catalog.resourceCount());
        long sequence = 0;
        while (items < poolItems) {
            Map<Integer, Map<Integer, List<LogRecord>>> grouped = new LinkedHashMap<>();
            long[] highs = new long[batch];
            int withTrace = 0;
            for (int i = 0; i < batch; i++) {
                GeneratedLog log = fleet.next(baseNanos + sequence++ * 100_000L);
                LogRecord record = log.record();
                grouped.computeIfAbsent(log.resourceIndex(), r -> new LinkedHashMap<>())
                        .computeIfAbsent(log.scopeIndex(), s -> new ArrayList<>()).add(record);
                if (!record.getTraceId().isEmpty()) {
                    highs[withTrace++] = OtlpValues.getLong(record.getTraceId().toByteArray(), 0);
                }
                String body = record.getBody().getStringValue();
                logBodyChars += body.length();
                logJsonBodies += body.startsWith("{") ? 1 : 0;
                logWarnOrAbove += record.getSeverityNumberValue() >= 13 ? 1 : 0;
            }
            logsWithTraceContext += withTrace;
            ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
            for (Map.Entry<Integer, Map<Integer, List<LogRecord>>> resource : grouped.entrySet()) {
                ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder()
                        .setResource(catalog.resource(resource.getKey())).setSchemaUrl(SCHEMA_URL);
                for (Map.Entry<Integer, List<LogRecord>> scope : resource.getValue().entrySet()) {
                    resourceLogs.addScopeLogs(ScopeLogs.newBuilder().setScope(fleet.scope(scope.getKey()))
                            .addAllLogRecords(scope.getValue()));
                }
                request.addResourceLogs(resourceLogs);
            }
            byte[] body = request.build().toByteArray();
            long[] sortedHighs = Arrays.copyOf(highs, withTrace);
            Arrays.sort(sortedHighs);
            add(new GeneratedRequest(signal, body, batch, binaryOffsets(body, LOG_TRACE_ID_TAG, sortedHighs), false,
                    new long[0], new long[0], new int[0]));
        }
    }

    private void buildMetrics(ServiceCatalog catalog, long seed, long poolItems, int batch, long baseNanos) {
        MetricFleet fleet = new MetricFleet(seed, catalog, baseNanos);
        int[] points = new int[1];
        while (items < poolItems) {
            ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
            int count = 0;
            while (count < batch) {
                request.addResourceMetrics(fleet.nextCollection(points));
                count += points[0];
            }
            add(new GeneratedRequest(signal, request.build().toByteArray(), count, new int[0], false, new long[0],
                    new long[0], new int[0]));
        }
    }

    private void add(GeneratedRequest request) {
        requests.add(request);
        items += request.items();
        bytes += request.body().length;
    }

    /** Offsets of trace ids: a {@code tag, 16} prefix followed by 8 bytes that are a known trace id's start. */
    private static int[] binaryOffsets(byte[] body, byte tag, long[] sortedHighs) {
        int[] offsets = new int[64];
        int count = 0;
        for (int i = 0; i + 18 <= body.length; i++) {
            if (body[i] == tag && body[i + 1] == 16
                    && Arrays.binarySearch(sortedHighs, OtlpValues.getLong(body, i + 2)) >= 0) {
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                }
                offsets[count++] = i + 2;
                i += 17;
            }
        }
        return Arrays.copyOf(offsets, count);
    }

    /** Offsets of the hex trace ids after every {@code "traceId":"} in Zipkin JSON. */
    private static int[] hexOffsets(byte[] body) {
        int[] offsets = new int[64];
        int count = 0;
        outer:
        for (int i = 0; i + ZIPKIN_TRACE_ID.length + 32 <= body.length; i++) {
            for (int j = 0; j < ZIPKIN_TRACE_ID.length; j++) {
                if (body[i + j] != ZIPKIN_TRACE_ID[j]) {
                    continue outer;
                }
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = i + ZIPKIN_TRACE_ID.length;
            i += ZIPKIN_TRACE_ID.length + 31;
        }
        return Arrays.copyOf(offsets, count);
    }
}
