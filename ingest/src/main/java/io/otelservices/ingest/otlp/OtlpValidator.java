package io.otelservices.ingest.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks decoded export requests (OTLP specification, "Failures" and "Partial Success").
 *
 * <ul>
 *   <li>An id present with the wrong byte length fails the whole request ({@link OtlpRequestException.Kind#BAD_DATA})
 *       with the id's path, e.g. {@code resource_spans[0].scope_spans[1].spans[3].trace_id: 5 bytes (expected: 16)}.
 *   <li>A span with an empty or all-zero trace id or span id is rejected alone (partial success).
 *   <li>The data points of a metric without a name are rejected (partial success).
 * </ul>
 *
 * Returns the request without its rejected items, which is what gets stored. Stateless and thread-safe.
 */
final class OtlpValidator {

    static final String REASON_INVALID_TRACE_ID = "invalid_trace_id";
    static final String REASON_INVALID_SPAN_ID = "invalid_span_id";
    static final String REASON_MISSING_METRIC_NAME = "missing_metric_name";

    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;

    private OtlpValidator() {}

    /**
     * A request after validation.
     *
     * @param request the request without rejected items (the same instance when nothing was rejected)
     * @param rejected how many items were rejected
     * @param errorMessage why, for the partial-success answer; empty when nothing was rejected
     * @param rejectedByReason counts per metric reason tag
     */
    record Validated<T>(T request, long rejected, String errorMessage, Map<String, Long> rejectedByReason) {
        static <T> Validated<T> complete(T request) {
            return new Validated<>(request, 0, "", Map.of());
        }
    }

    /** Collects rejections: counts per reason and the first place each happened. */
    private static final class Rejections {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, String> firstPlaces = new LinkedHashMap<>();
        final Map<String, String> descriptions = new LinkedHashMap<>();
        long total;

        void add(String reason, String description, long items, String place) {
            counts.merge(reason, items, Long::sum);
            firstPlaces.putIfAbsent(reason, place);
            descriptions.putIfAbsent(reason, description);
            total += items;
        }

        String message(String itemsName) {
            StringBuilder message = new StringBuilder();
            message.append(total).append(' ').append(itemsName).append(" rejected: ");
            boolean first = true;
            for (Map.Entry<String, Long> entry : counts.entrySet()) {
                if (!first) {
                    message.append("; ");
                }
                first = false;
                message.append(entry.getValue()).append(' ').append(descriptions.get(entry.getKey()))
                        .append(" (first: ").append(firstPlaces.get(entry.getKey())).append(')');
            }
            return message.toString();
        }
    }

    static Validated<ExportTraceServiceRequest> traces(ExportTraceServiceRequest request)
            throws OtlpRequestException {
        Rejections rejections = new Rejections();
        boolean[][][] rejectedSpans = null;
        List<ResourceSpans> resources = request.getResourceSpansList();
        for (int r = 0; r < resources.size(); r++) {
            List<ScopeSpans> scopes = resources.get(r).getScopeSpansList();
            for (int s = 0; s < scopes.size(); s++) {
                List<Span> spans = scopes.get(s).getSpansList();
                for (int i = 0; i < spans.size(); i++) {
                    Span span = spans.get(i);
                    int rr = r;
                    int ss = s;
                    int ii = i;
                    PathSupplier path = () -> "resource_spans[" + rr + "].scope_spans[" + ss + "].spans[" + ii + "]";
                    checkLength(span.getTraceId(), TRACE_ID_BYTES, false, path, "trace_id");
                    checkLength(span.getSpanId(), SPAN_ID_BYTES, false, path, "span_id");
                    checkLength(span.getParentSpanId(), SPAN_ID_BYTES, true, path, "parent_span_id");
                    List<Span.Link> links = span.getLinksList();
                    for (int l = 0; l < links.size(); l++) {
                        int ll = l;
                        PathSupplier linkPath = () -> path.get() + ".links[" + ll + "]";
                        checkLength(links.get(l).getTraceId(), TRACE_ID_BYTES, true, linkPath, "trace_id");
                        checkLength(links.get(l).getSpanId(), SPAN_ID_BYTES, true, linkPath, "span_id");
                    }
                    String reason = null;
                    String description = null;
                    if (isEmptyOrZero(span.getTraceId())) {
                        reason = REASON_INVALID_TRACE_ID;
                        description = "with an empty or all-zero trace_id";
                    } else if (isEmptyOrZero(span.getSpanId())) {
                        reason = REASON_INVALID_SPAN_ID;
                        description = "with an empty or all-zero span_id";
                    }
                    if (reason != null) {
                        rejections.add(reason, description, 1, path.get());
                        if (rejectedSpans == null) {
                            rejectedSpans = new boolean[resources.size()][][];
                        }
                        if (rejectedSpans[r] == null) {
                            rejectedSpans[r] = new boolean[scopes.size()][];
                        }
                        if (rejectedSpans[r][s] == null) {
                            rejectedSpans[r][s] = new boolean[spans.size()];
                        }
                        rejectedSpans[r][s][i] = true;
                    }
                }
            }
        }
        if (rejectedSpans == null) {
            return Validated.complete(request);
        }
        ExportTraceServiceRequest.Builder kept = request.toBuilder();
        for (int r = 0; r < rejectedSpans.length; r++) {
            if (rejectedSpans[r] == null) {
                continue;
            }
            ResourceSpans.Builder resource = kept.getResourceSpansBuilder(r);
            for (int s = 0; s < rejectedSpans[r].length; s++) {
                boolean[] rejected = rejectedSpans[r][s];
                if (rejected == null) {
                    continue;
                }
                ScopeSpans.Builder scope = resource.getScopeSpansBuilder(s);
                List<Span> spans = scope.getSpansList();
                scope.clearSpans();
                for (int i = 0; i < spans.size(); i++) {
                    if (!rejected[i]) {
                        scope.addSpans(spans.get(i));
                    }
                }
            }
        }
        return new Validated<>(kept.build(), rejections.total, rejections.message("spans"), rejections.counts);
    }

    static Validated<ExportLogsServiceRequest> logs(ExportLogsServiceRequest request) throws OtlpRequestException {
        List<ResourceLogs> resources = request.getResourceLogsList();
        for (int r = 0; r < resources.size(); r++) {
            List<ScopeLogs> scopes = resources.get(r).getScopeLogsList();
            for (int s = 0; s < scopes.size(); s++) {
                List<LogRecord> records = scopes.get(s).getLogRecordsList();
                for (int i = 0; i < records.size(); i++) {
                    LogRecord record = records.get(i);
                    int rr = r;
                    int ss = s;
                    int ii = i;
                    PathSupplier path =
                            () -> "resource_logs[" + rr + "].scope_logs[" + ss + "].log_records[" + ii + "]";
                    checkLength(record.getTraceId(), TRACE_ID_BYTES, true, path, "trace_id");
                    checkLength(record.getSpanId(), SPAN_ID_BYTES, true, path, "span_id");
                }
            }
        }
        return Validated.complete(request);
    }

    static Validated<ExportMetricsServiceRequest> metrics(ExportMetricsServiceRequest request)
            throws OtlpRequestException {
        Rejections rejections = new Rejections();
        boolean[][][] rejectedMetrics = null;
        List<ResourceMetrics> resources = request.getResourceMetricsList();
        for (int r = 0; r < resources.size(); r++) {
            List<ScopeMetrics> scopes = resources.get(r).getScopeMetricsList();
            for (int s = 0; s < scopes.size(); s++) {
                List<Metric> metrics = scopes.get(s).getMetricsList();
                for (int m = 0; m < metrics.size(); m++) {
                    Metric metric = metrics.get(m);
                    int rr = r;
                    int ss = s;
                    int mm = m;
                    PathSupplier path =
                            () -> "resource_metrics[" + rr + "].scope_metrics[" + ss + "].metrics[" + mm + "]";
                    checkExemplarIds(metric, path);
                    if (metric.getName().isEmpty()) {
                        int points = pointCount(metric);
                        if (points > 0) {
                            rejections.add(REASON_MISSING_METRIC_NAME, "data points of a metric without a name",
                                    points, path.get());
                        }
                        if (rejectedMetrics == null) {
                            rejectedMetrics = new boolean[resources.size()][][];
                        }
                        if (rejectedMetrics[r] == null) {
                            rejectedMetrics[r] = new boolean[scopes.size()][];
                        }
                        if (rejectedMetrics[r][s] == null) {
                            rejectedMetrics[r][s] = new boolean[metrics.size()];
                        }
                        rejectedMetrics[r][s][m] = true;
                    }
                }
            }
        }
        if (rejectedMetrics == null) {
            return Validated.complete(request);
        }
        ExportMetricsServiceRequest.Builder kept = request.toBuilder();
        for (int r = 0; r < rejectedMetrics.length; r++) {
            if (rejectedMetrics[r] == null) {
                continue;
            }
            ResourceMetrics.Builder resource = kept.getResourceMetricsBuilder(r);
            for (int s = 0; s < rejectedMetrics[r].length; s++) {
                boolean[] rejected = rejectedMetrics[r][s];
                if (rejected == null) {
                    continue;
                }
                ScopeMetrics.Builder scope = resource.getScopeMetricsBuilder(s);
                List<Metric> metrics = scope.getMetricsList();
                scope.clearMetrics();
                for (int m = 0; m < metrics.size(); m++) {
                    if (!rejected[m]) {
                        scope.addMetrics(metrics.get(m));
                    }
                }
            }
        }
        if (rejections.total == 0) {
            // Only nameless metrics without points: nothing to report, but nothing to keep of them either.
            return Validated.complete(kept.build());
        }
        return new Validated<>(kept.build(), rejections.total, rejections.message("data points"),
                rejections.counts);
    }

    private static void checkExemplarIds(Metric metric, PathSupplier metricPath) throws OtlpRequestException {
        switch (metric.getDataCase()) {
            case GAUGE -> checkNumberPoints(metric.getGauge().getDataPointsList(), metricPath, "gauge");
            case SUM -> checkNumberPoints(metric.getSum().getDataPointsList(), metricPath, "sum");
            case HISTOGRAM -> {
                List<HistogramDataPoint> points = metric.getHistogram().getDataPointsList();
                for (int p = 0; p < points.size(); p++) {
                    checkExemplars(points.get(p).getExemplarsList(), metricPath, "histogram", p);
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                List<ExponentialHistogramDataPoint> points = metric.getExponentialHistogram().getDataPointsList();
                for (int p = 0; p < points.size(); p++) {
                    checkExemplars(points.get(p).getExemplarsList(), metricPath, "exponential_histogram", p);
                }
            }
            case SUMMARY, DATA_NOT_SET -> {
                // Summaries have no exemplars.
            }
        }
    }

    private static void checkNumberPoints(List<NumberDataPoint> points, PathSupplier metricPath, String field)
            throws OtlpRequestException {
        for (int p = 0; p < points.size(); p++) {
            checkExemplars(points.get(p).getExemplarsList(), metricPath, field, p);
        }
    }

    private static void checkExemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars,
            PathSupplier metricPath, String field, int point) throws OtlpRequestException {
        for (int e = 0; e < exemplars.size(); e++) {
            int ee = e;
            PathSupplier path = () -> metricPath.get() + "." + field + ".data_points[" + point + "].exemplars["
                    + ee + "]";
            checkLength(exemplars.get(e).getTraceId(), TRACE_ID_BYTES, true, path, "trace_id");
            checkLength(exemplars.get(e).getSpanId(), SPAN_ID_BYTES, true, path, "span_id");
        }
    }

    private static int pointCount(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    /**
     * Fails the request when the id has a length other than {@code expected}. An empty id passes (it is either
     * allowed, or rejected item by item by the caller).
     */
    private static void checkLength(ByteString id, int expected, boolean emptyAllowed, PathSupplier path,
            String field) throws OtlpRequestException {
        int size = id.size();
        if (size == expected || size == 0) {
            return;
        }
        throw OtlpRequestException.badData(path.get() + "." + field + ": " + size + " bytes (expected: " + expected
                + (emptyAllowed ? " or none" : "") + ")");
    }

    private static boolean isEmptyOrZero(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Builds an item's path only when a message needs it. */
    @FunctionalInterface
    private interface PathSupplier {
        String get();
    }
}
