package io.otelservices.ingest.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/** OTLP requests that set every field, for conversion and wire tests. */
public final class OtlpFixtures {

    public static final String TRACE_ID_HEX = "5b8efff798038103d269b633813fc60c";
    public static final String SPAN_ID_HEX = "eee19b7ec3c1b174";
    public static final String PARENT_ID_HEX = "eee19b7ec3c1b173";
    public static final String LINK_TRACE_ID_HEX = "0102030405060708090a0b0c0d0e0f10";
    public static final String LINK_SPAN_ID_HEX = "1112131415161718";

    private OtlpFixtures() {}

    public static ByteString id(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteString.copyFrom(bytes);
    }

    public static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    public static KeyValue attribute(String key, String value) {
        return attribute(key, AnyValue.newBuilder().setStringValue(value).build());
    }

    /** One value of every AnyValue type, nested ones included. */
    public static java.util.List<KeyValue> allValueTypes() {
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
                .addValues(AnyValue.newBuilder().setIntValue(7))
                .addValues(AnyValue.newBuilder())).build();
        AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attribute("nested", AnyValue.newBuilder().setBoolValue(false).build()))
                .addValues(attribute("list", array))).build();
        return java.util.List.of(
                attribute("string", "text"),
                attribute("bool", AnyValue.newBuilder().setBoolValue(true).build()),
                attribute("int", AnyValue.newBuilder().setIntValue(-42).build()),
                attribute("double", AnyValue.newBuilder().setDoubleValue(1.5).build()),
                attribute("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()),
                attribute("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .build()),
                attribute("array", array),
                attribute("kvlist", kvlist),
                attribute("empty", AnyValue.newBuilder().build()));
    }

    public static Resource resource() {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", "checkout"))
                .addAttributes(attribute("host.name", "node-1"))
                .setDroppedAttributesCount(3)
                .build();
    }

    public static InstrumentationScope scope() {
        return InstrumentationScope.newBuilder()
                .setName("io.example.lib")
                .setVersion("2.1.0")
                .addAttributes(attribute("scope.attr", AnyValue.newBuilder().setIntValue(5).build()))
                .setDroppedAttributesCount(1)
                .build();
    }

    public static Span span(String traceIdHex, String spanIdHex) {
        return Span.newBuilder()
                .setTraceId(id(traceIdHex))
                .setSpanId(id(spanIdHex))
                .setParentSpanId(id(PARENT_ID_HEX))
                .setTraceState("vendor=value")
                .setFlags(0x301)
                .setName("GET /cart")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                .setEndTimeUnixNano(1_700_000_000_250_000_000L)
                .addAllAttributes(allValueTypes())
                .setDroppedAttributesCount(2)
                .addEvents(Span.Event.newBuilder()
                        .setTimeUnixNano(1_700_000_000_100_000_000L)
                        .setName("exception")
                        .addAttributes(attribute("exception.type", "IOException"))
                        .setDroppedAttributesCount(4))
                .setDroppedEventsCount(5)
                .addLinks(Span.Link.newBuilder()
                        .setTraceId(id(LINK_TRACE_ID_HEX))
                        .setSpanId(id(LINK_SPAN_ID_HEX))
                        .setTraceState("linked=1")
                        .setFlags(1)
                        .addAttributes(attribute("link.attr", "x"))
                        .setDroppedAttributesCount(6))
                .setDroppedLinksCount(7)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .build();
    }

    public static ExportTraceServiceRequest traces(Span... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(scope()).setSchemaUrl("https://scope/schema");
        for (Span span : spans) {
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource())
                        .setSchemaUrl("https://resource/schema")
                        .addScopeSpans(scope))
                .build();
    }

    public static ExportTraceServiceRequest richTraces() {
        return traces(span(TRACE_ID_HEX, SPAN_ID_HEX));
    }

    public static ExportLogsServiceRequest richLogs() {
        LogRecord record = LogRecord.newBuilder()
                .setTimeUnixNano(1_700_000_001_000_000_000L)
                .setObservedTimeUnixNano(1_700_000_001_500_000_000L)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN2)
                .setSeverityText("warning")
                .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attribute("msg", "disk almost full"))))
                .addAllAttributes(allValueTypes())
                .setDroppedAttributesCount(8)
                .setFlags(1)
                .setTraceId(id(TRACE_ID_HEX))
                .setSpanId(id(SPAN_ID_HEX))
                .setEventName("disk.warning")
                .build();
        LogRecord observedOnly = LogRecord.newBuilder()
                .setObservedTimeUnixNano(1_700_000_002_000_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue("plain text"))
                .build();
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource())
                        .setSchemaUrl("https://resource/schema")
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(scope())
                                .setSchemaUrl("https://scope/schema")
                                .addLogRecords(record)
                                .addLogRecords(observedOnly)))
                .build();
    }

    public static Exemplar exemplar() {
        return Exemplar.newBuilder()
                .setTimeUnixNano(1_700_000_000_500_000_000L)
                .setAsInt(12)
                .setTraceId(id(TRACE_ID_HEX))
                .setSpanId(id(SPAN_ID_HEX))
                .addFilteredAttributes(attribute("user", "alice"))
                .build();
    }

    public static ExportMetricsServiceRequest richMetrics() {
        long start = 1_700_000_000_000_000_000L;
        long time = 1_700_000_060_000_000_000L;
        Metric gauge = Metric.newBuilder().setName("cpu.temperature").setDescription("CPU temperature")
                .setUnit("Cel")
                .addMetadata(attribute("prometheus.type", "gauge"))
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                        .setTimeUnixNano(time)
                        .setAsDouble(61.5)
                        .addAttributes(attribute("core", AnyValue.newBuilder().setIntValue(0).build()))
                        .addExemplars(exemplar())))
                .build();
        Metric sum = Metric.newBuilder().setName("http.requests").setUnit("{request}")
                .setSum(Sum.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .setIsMonotonic(true)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(time)
                                .setAsInt(1234)
                                .setFlags(1)))
                .build();
        Metric histogram = Metric.newBuilder().setName("http.duration").setUnit("ms")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(time)
                                .setCount(6)
                                .setSum(321.5)
                                .addBucketCounts(1).addBucketCounts(2).addBucketCounts(3)
                                .addExplicitBounds(10).addExplicitBounds(100)
                                .setMin(0.5)
                                .setMax(250)
                                .addExemplars(exemplar())))
                .build();
        Metric exponential = Metric.newBuilder().setName("rpc.latency").setUnit("s")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(time)
                                .setCount(9)
                                .setSum(4.5)
                                .setScale(-2)
                                .setZeroCount(1)
                                .setZeroThreshold(0.001)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(-3).addBucketCounts(4).addBucketCounts(2))
                                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(1).addBucketCounts(2))
                                .setMin(-1.25)
                                .setMax(3)))
                .build();
        Metric summary = Metric.newBuilder().setName("gc.pause").setUnit("ms")
                .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
                        .setStartTimeUnixNano(start)
                        .setTimeUnixNano(time)
                        .setCount(10)
                        .setSum(55)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(4))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99)
                                .setValue(12))))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource())
                        .setSchemaUrl("https://resource/schema")
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(scope())
                                .setSchemaUrl("https://scope/schema")
                                .addMetrics(gauge)
                                .addMetrics(sum)
                                .addMetrics(histogram)
                                .addMetrics(exponential)
                                .addMetrics(summary)))
                .build();
    }

    /** {@code count} spans with distinct valid ids in one request. */
    public static ExportTraceServiceRequest manySpans(int count, int salt) {
        Span[] spans = new Span[count];
        for (int i = 0; i < count; i++) {
            String traceId = String.format("%016x%016x", salt + 1L, i + 1L);
            String spanId = String.format("%016x", (((long) salt) << 32) + i + 1);
            spans[i] = Span.newBuilder().setTraceId(id(traceId)).setSpanId(id(spanId)).setName("op" + i)
                    .setStartTimeUnixNano(1_700_000_000_000_000_000L + i).setEndTimeUnixNano(1_700_000_000_000_000_100L + i)
                    .build();
        }
        return traces(spans);
    }
}
