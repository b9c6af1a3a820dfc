package io.otelservices.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelservices.ingest.Signal;
import io.otelservices.ingest.TelemetryItems;
import io.otelservices.ingest.testing.OtlpFixtures;
import io.otelservices.ingest.testing.TestData;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpConverterTest {

    private static final Resource EXAMPLE_RESOURCE = new Resource(Map.of("service.name", "my.service"), 0, "");
    private static final InstrumentationScope EXAMPLE_SCOPE = new InstrumentationScope("my.library", "1.0.0",
            Map.of("my.scope.attribute", "some scope attribute"), 0, "");

    private static TelemetryItems fromJson(Signal signal, String file) throws Exception {
        Message.Builder builder = switch (signal) {
            case TRACES -> ExportTraceServiceRequest.newBuilder();
            case METRICS -> ExportMetricsServiceRequest.newBuilder();
            case LOGS -> ExportLogsServiceRequest.newBuilder();
        };
        Message request = OtlpJsonDecoder.decode(TestData.otlpJson(file), builder);
        return OtlpConverter.convert(signal, request.toByteArray());
    }

    @Test
    void convert_traceExample() throws Exception {
        List<Span> spans = fromJson(Signal.TRACES, "trace.json").spans();

        assertThat(spans).hasSize(1);
        Span span = spans.get(0);
        assertThat(span.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(span.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(span.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
        assertThat(span.spanName()).isEqualTo("I'm a server span");
        assertThat(span.spanKind()).isEqualTo(Span.SpanKind.SERVER);
        assertThat(span.timestampNanos()).isEqualTo(1544712660000000000L);
        assertThat(span.durationNanos()).isEqualTo(1_000_000_000L);
        assertThat(span.serviceName()).isEqualTo("my.service");
        assertThat(span.resource()).isEqualTo(EXAMPLE_RESOURCE);
        assertThat(span.scope()).isEqualTo(EXAMPLE_SCOPE);
        assertThat(span.attributes()).containsExactly(entry("my.span.attr", "some value"));
        assertThat(span.statusCode()).isEqualTo(Span.StatusCode.UNSET);
        assertThat(span.events()).isEmpty();
        assertThat(span.links()).isEmpty();
    }

    @Test
    void convert_logsExample_keepsEveryAttributeTypeAsText() throws Exception {
        List<LogRecord> logs = fromJson(Signal.LOGS, "logs.json").logs();

        assertThat(logs).hasSize(1);
        LogRecord log = logs.get(0);
        assertThat(log.timestampNanos()).isEqualTo(1544712660300000000L);
        assertThat(log.observedTimestampNanos()).isEqualTo(1544712660300000000L);
        assertThat(log.severityNumber()).isEqualTo(10);
        assertThat(log.severityText()).isEqualTo("Information");
        assertThat(log.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(log.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(log.body()).isEqualTo("Example log record");
        assertThat(log.serviceName()).isEqualTo("my.service");
        assertThat(log.resource()).isEqualTo(EXAMPLE_RESOURCE);
        assertThat(log.scope()).isEqualTo(EXAMPLE_SCOPE);
        assertThat(log.attributes()).containsOnly(
                entry("string.attribute", "some string"),
                entry("boolean.attribute", "true"),
                entry("int.attribute", "10"),
                entry("double.attribute", "637.704"),
                entry("array.attribute", "[\"many\",\"values\"]"),
                entry("map.attribute", "{\"some.map.key\":\"some value\"}"));
        assertThat(log.eventName()).isEmpty();
    }

    @Test
    void convert_eventsExample_keepsEventNameAndMapBody() throws Exception {
        LogRecord event = fromJson(Signal.LOGS, "events.json").logs().get(0);

        assertThat(event.eventName()).isEqualTo("browser.page_view");
        assertThat(event.severityNumber()).isEqualTo(9);
        assertThat(event.severityText()).isEqualTo("test severity text");
        assertThat(event.traceId()).isEmpty();
        assertThat(event.attributes()).containsExactly(entry("event.attribute", "some event attribute"));
        assertThat(event.body()).isEqualTo("{\"type\":0,\"url\":\"https://www.guidgenerator.com/online-guid-generator.aspx\","
                + "\"referrer\":\"https://wwww.google.com\",\"title\":\"Free Online GUID Generator\"}");
    }

    @Test
    void convert_metricsExample_allFourTypes() throws Exception {
        List<MetricPoint> points = fromJson(Signal.METRICS, "metrics.json").metricPoints();

        assertThat(points).extracting(MetricPoint::metricName)
                .containsExactly("my.counter", "my.gauge", "my.histogram", "my.exponential.histogram");
        MetricPoint counter = points.get(0);
        assertThat(counter.value()).isEqualTo(new MetricValue.Sum(5, AggregationTemporality.DELTA, true));
        assertThat(counter.metricUnit()).isEqualTo("1");
        assertThat(counter.metricDescription()).isEqualTo("I am a Counter");
        assertThat(counter.startTimeNanos()).isEqualTo(1544712660300000000L);
        assertThat(counter.timeNanos()).isEqualTo(1544712660300000000L);
        assertThat(counter.attributes()).containsExactly(entry("my.counter.attr", "some value"));
        assertThat(counter.serviceName()).isEqualTo("my.service");
        assertThat(counter.resource()).isEqualTo(EXAMPLE_RESOURCE);
        assertThat(counter.scope()).isEqualTo(EXAMPLE_SCOPE);

        assertThat(points.get(1).value()).isEqualTo(new MetricValue.Gauge(10));
        assertThat(points.get(1).startTimeNanos()).isZero();

        MetricValue.Histogram histogram = (MetricValue.Histogram) points.get(2).value();
        assertThat(histogram.count()).isEqualTo(2);
        assertThat(histogram.sum()).isEqualTo(2);
        assertThat(histogram.bucketCounts()).containsExactly(1, 1);
        assertThat(histogram.explicitBounds()).containsExactly(1);
        assertThat(histogram.min()).isEqualTo(0);
        assertThat(histogram.max()).isEqualTo(2);
        assertThat(histogram.temporality()).isEqualTo(AggregationTemporality.DELTA);

        MetricValue.ExponentialHistogram exponential = (MetricValue.ExponentialHistogram) points.get(3).value();
        assertThat(exponential.count()).isEqualTo(3);
        assertThat(exponential.sum()).isEqualTo(10);
        assertThat(exponential.scale()).isZero();
        assertThat(exponential.zeroCount()).isEqualTo(1);
        assertThat(exponential.zeroThreshold()).isZero();
        assertThat(exponential.positiveOffset()).isEqualTo(1);
        assertThat(exponential.positiveBucketCounts()).containsExactly(0, 2);
        assertThat(exponential.negativeBucketCounts()).isEmpty();
        assertThat(exponential.min()).isZero();
        assertThat(exponential.max()).isEqualTo(5);
        assertThat(exponential.temporality()).isEqualTo(AggregationTemporality.DELTA);
    }

    @Test
    void convert_richSpan_keepsEveryField() {
        Span span = OtlpConverter.traces(OtlpFixtures.richTraces()).spans().get(0);

        assertThat(span.traceId()).isEqualTo(OtlpFixtures.TRACE_ID_HEX);
        assertThat(span.traceState()).isEqualTo("vendor=value");
        assertThat(span.flags()).isEqualTo(0x301);
        assertThat(span.spanName()).isEqualTo("GET /cart");
        assertThat(span.durationNanos()).isEqualTo(250_000_000L);
        assertThat(span.serviceName()).isEqualTo("checkout");
        assertThat(span.resource()).isEqualTo(new Resource(Map.of("service.name", "checkout", "host.name", "node-1"),
                3, "https://resource/schema"));
        assertThat(span.scope()).isEqualTo(new InstrumentationScope("io.example.lib", "2.1.0",
                Map.of("scope.attr", "5"), 1, "https://scope/schema"));
        assertThat(span.attributes()).containsOnly(
                entry("string", "text"),
                entry("bool", "true"),
                entry("int", "-42"),
                entry("double", "1.5"),
                entry("nan", "\"NaN\""),
                entry("bytes", "\"AQID\""),
                entry("array", "[\"a\\\"b\",7,null]"),
                entry("kvlist", "{\"nested\":false,\"list\":[\"a\\\"b\",7,null]}"),
                entry("empty", ""));
        assertThat(span.droppedAttributesCount()).isEqualTo(2);
        assertThat(span.statusCode()).isEqualTo(Span.StatusCode.ERROR);
        assertThat(span.statusMessage()).isEqualTo("boom");
        assertThat(span.events()).containsExactly(new SpanEvent(1_700_000_000_100_000_000L, "exception",
                Map.of("exception.type", "IOException"), 4));
        assertThat(span.droppedEventsCount()).isEqualTo(5);
        assertThat(span.links()).containsExactly(new SpanLink(OtlpFixtures.LINK_TRACE_ID_HEX,
                OtlpFixtures.LINK_SPAN_ID_HEX, "linked=1", 1, Map.of("link.attr", "x"), 6));
        assertThat(span.droppedLinksCount()).isEqualTo(7);
    }

    @Test
    void convert_unknownKindAndStatusNumbers_keptAsNumbers() {
        io.opentelemetry.proto.trace.v1.Span proto = OtlpFixtures.span(OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX).toBuilder()
                .setKindValue(42)
                .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCodeValue(7))
                .clearParentSpanId()
                .setEndTimeUnixNano(1)
                .build();

        Span span = OtlpConverter.traces(OtlpFixtures.traces(proto)).spans().get(0);

        assertThat(span.spanKind()).isEqualTo("42");
        assertThat(span.statusCode()).isEqualTo("7");
        assertThat(span.isRoot()).isTrue();
        assertThat(span.durationNanos()).isZero();
    }

    @Test
    void convert_richLogs_keepEveryField_andFallBackToObservedTime() {
        List<LogRecord> logs = OtlpConverter.logs(OtlpFixtures.richLogs()).logs();

        LogRecord log = logs.get(0);
        assertThat(log.timestampNanos()).isEqualTo(1_700_000_001_000_000_000L);
        assertThat(log.observedTimestampNanos()).isEqualTo(1_700_000_001_500_000_000L);
        assertThat(log.severityNumber()).isEqualTo(14);
        assertThat(log.severityText()).isEqualTo("warning");
        assertThat(log.body()).isEqualTo("{\"msg\":\"disk almost full\"}");
        assertThat(log.traceFlags()).isEqualTo(1);
        assertThat(log.droppedAttributesCount()).isEqualTo(8);
        assertThat(log.eventName()).isEqualTo("disk.warning");
        assertThat(log.resource().schemaUrl()).isEqualTo("https://resource/schema");
        assertThat(log.scope().schemaUrl()).isEqualTo("https://scope/schema");
        assertThat(log.attributes()).containsEntry("int", "-42").containsEntry("kvlist",
                "{\"nested\":false,\"list\":[\"a\\\"b\",7,null]}");

        LogRecord observedOnly = logs.get(1);
        assertThat(observedOnly.timestampNanos()).isEqualTo(1_700_000_002_000_000_000L);
        assertThat(observedOnly.body()).isEqualTo("plain text");
        assertThat(observedOnly.traceId()).isEmpty();
        assertThat(observedOnly.spanId()).isEmpty();
    }

    @Test
    void convert_richMetrics_allFiveTypesWithExemplarsAndMetadata() {
        List<MetricPoint> points = OtlpConverter.metrics(OtlpFixtures.richMetrics()).metricPoints();

        assertThat(points).extracting(MetricPoint::type).containsExactly(MetricType.GAUGE, MetricType.SUM,
                MetricType.HISTOGRAM, MetricType.EXPONENTIAL_HISTOGRAM, MetricType.SUMMARY);
        Exemplar exemplar = new Exemplar(1_700_000_000_500_000_000L, 12, OtlpFixtures.TRACE_ID_HEX,
                OtlpFixtures.SPAN_ID_HEX, Map.of("user", "alice"));

        MetricPoint gauge = points.get(0);
        assertThat(gauge.value()).isEqualTo(new MetricValue.Gauge(61.5));
        assertThat(gauge.metricMetadata()).containsExactly(entry("prometheus.type", "gauge"));
        assertThat(gauge.metricUnit()).isEqualTo("Cel");
        assertThat(gauge.attributes()).containsExactly(entry("core", "0"));
        assertThat(gauge.exemplars()).containsExactly(exemplar);
        assertThat(gauge.serviceName()).isEqualTo("checkout");

        MetricPoint sum = points.get(1);
        assertThat(sum.value()).isEqualTo(new MetricValue.Sum(1234, AggregationTemporality.CUMULATIVE, true));
        assertThat(sum.flags()).isEqualTo(MetricPoint.FLAG_NO_RECORDED_VALUE);
        assertThat(sum.startTimeNanos()).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(sum.timeNanos()).isEqualTo(1_700_000_060_000_000_000L);

        MetricValue.Histogram histogram = (MetricValue.Histogram) points.get(2).value();
        assertThat(histogram).usingRecursiveComparison().isEqualTo(new MetricValue.Histogram(6, 321.5,
                new long[] {1, 2, 3}, new double[] {10, 100}, 0.5, 250, AggregationTemporality.DELTA));
        assertThat(points.get(2).exemplars()).containsExactly(exemplar);

        assertThat(points.get(3).value()).usingRecursiveComparison().isEqualTo(new MetricValue.ExponentialHistogram(
                9, 4.5, -2, 1, 0.001, -3, new long[] {4, 2}, 1, new long[] {2}, -1.25, 3,
                AggregationTemporality.CUMULATIVE));

        assertThat(points.get(4).value()).isEqualTo(new MetricValue.Summary(10, 55,
                List.of(new MetricValue.ValueAtQuantile(0.5, 4), new MetricValue.ValueAtQuantile(0.99, 12))));
    }

    @Test
    void convert_histogramWithoutSumMinMax_usesNaN() {
        ExportMetricsServiceRequest request = OtlpFixtures.richMetrics().toBuilder()
                .setResourceMetrics(0, OtlpFixtures.richMetrics().getResourceMetrics(0).toBuilder()
                        .setScopeMetrics(0, OtlpFixtures.richMetrics().getResourceMetrics(0).getScopeMetrics(0)
                                .toBuilder().clearMetrics().addMetrics(io.opentelemetry.proto.metrics.v1.Metric
                                        .newBuilder().setName("h").setHistogram(
                                                io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                                                        .addDataPoints(io.opentelemetry.proto.metrics.v1
                                                                .HistogramDataPoint.newBuilder().setCount(1))))))
                .build();

        MetricValue.Histogram histogram =
                (MetricValue.Histogram) OtlpConverter.metrics(request).metricPoints().get(0).value();

        assertThat(histogram.sum()).isNaN();
        assertThat(histogram.min()).isNaN();
        assertThat(histogram.max()).isNaN();
        assertThat(histogram.temporality()).isEqualTo(AggregationTemporality.UNSPECIFIED);
    }

    @Test
    void convert_jsonAndProtobufOfTheSameMessage_giveEqualItems() throws Exception {
        List<Message> messages = List.of(OtlpFixtures.richTraces(), OtlpFixtures.richMetrics(),
                OtlpFixtures.richLogs());
        List<Signal> signals = List.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            Signal signal = signals.get(i);
            byte[] json = OtlpJsonText.of(message, false).getBytes(StandardCharsets.UTF_8);
            Message fromJson = OtlpJsonDecoder.decode(json, message.newBuilderForType());

            TelemetryItems viaJson = OtlpConverter.convert(signal, fromJson.toByteArray());
            TelemetryItems viaProtobuf = OtlpConverter.convert(signal, message.toByteArray());

            assertThat(viaJson.itemCount()).isPositive();
            assertThat(viaJson).usingRecursiveComparison().isEqualTo(viaProtobuf);
        }
    }

    @Test
    void convert_repeatedAttributeKey_keepsTheLast() {
        io.opentelemetry.proto.trace.v1.Span proto = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(OtlpFixtures.id(OtlpFixtures.TRACE_ID_HEX))
                .setSpanId(OtlpFixtures.id(OtlpFixtures.SPAN_ID_HEX))
                .addAttributes(OtlpFixtures.attribute("k", "first"))
                .addAttributes(OtlpFixtures.attribute("k", "second"))
                .build();

        Span span = OtlpConverter.traces(OtlpFixtures.traces(proto)).spans().get(0);

        assertThat(span.attributes()).containsExactly(entry("k", "second"));
    }
}
