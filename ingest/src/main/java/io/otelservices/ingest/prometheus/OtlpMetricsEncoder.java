package io.otelservices.ingest.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The converted points of a remote-write request as an OTLP {@code ExportMetricsServiceRequest}, the payload of
 * the write-ahead log's metrics records: remote write goes through the same log, replay and storage path as OTLP,
 * and the log's format does not change. Replay turns the payload back into points equal to the ones encoded
 * ({@code OtlpConverter.convert}); {@code OtlpMetricsEncoderTest} holds that. Only what {@link WriteRequestConverter}
 * makes is supported: gauges and sums of string attributes, with exemplars, in the empty scope. Stateless.
 */
final class OtlpMetricsEncoder {

    /** What points of one OTLP {@code Metric} share; {@code temporality} is {@code null} for a gauge. */
    private record MetricIdentity(String name, String description, String unit, Map<String, String> metadata,
            AggregationTemporality temporality, boolean monotonic) {}

    private OtlpMetricsEncoder() {}

    static byte[] encode(List<MetricPoint> points) {
        Map<Resource, Map<MetricIdentity, List<NumberDataPoint>>> byResource = new LinkedHashMap<>();
        Map<Map<String, String>, List<KeyValue>> attributeLists = new IdentityHashMap<>();
        for (MetricPoint point : points) {
            MetricValue.Sum sum = point.value() instanceof MetricValue.Sum s ? s : null;
            MetricIdentity identity = new MetricIdentity(point.metricName(), point.metricDescription(),
                    point.metricUnit(), point.metricMetadata(), sum == null ? null : sum.temporality(),
                    sum != null && sum.monotonic());
            byResource.computeIfAbsent(point.resource(), resource -> new LinkedHashMap<>())
                    .computeIfAbsent(identity, key -> new ArrayList<>())
                    .add(dataPoint(point, attributeLists.computeIfAbsent(point.attributes(),
                            OtlpMetricsEncoder::keyValues)));
        }
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        for (Map.Entry<Resource, Map<MetricIdentity, List<NumberDataPoint>>> resource : byResource.entrySet()) {
            ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
            for (Map.Entry<MetricIdentity, List<NumberDataPoint>> metric : resource.getValue().entrySet()) {
                scope.addMetrics(metric(metric.getKey(), metric.getValue()));
            }
            request.addResourceMetrics(ResourceMetrics.newBuilder()
                    .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAllAttributes(keyValues(resource.getKey().attributes())))
                    .addScopeMetrics(scope));
        }
        return request.build().toByteArray();
    }

    private static Metric metric(MetricIdentity identity, List<NumberDataPoint> dataPoints) {
        Metric.Builder metric = Metric.newBuilder()
                .setName(identity.name())
                .setDescription(identity.description())
                .setUnit(identity.unit())
                .addAllMetadata(keyValues(identity.metadata()));
        if (identity.temporality() == null) {
            metric.setGauge(Gauge.newBuilder().addAllDataPoints(dataPoints));
        } else {
            metric.setSum(Sum.newBuilder()
                    .setAggregationTemporalityValue(identity.temporality().number())
                    .setIsMonotonic(identity.monotonic())
                    .addAllDataPoints(dataPoints));
        }
        return metric.build();
    }

    private static NumberDataPoint dataPoint(MetricPoint point, List<KeyValue> attributes) {
        double value;
        if (point.value() instanceof MetricValue.Gauge gauge) {
            value = gauge.value();
        } else if (point.value() instanceof MetricValue.Sum sum) {
            value = sum.value();
        } else {
            throw new IllegalArgumentException("point type: " + point.type() + " (expected: GAUGE or SUM)");
        }
        NumberDataPoint.Builder dataPoint = NumberDataPoint.newBuilder()
                .addAllAttributes(attributes)
                .setStartTimeUnixNano(point.startTimeNanos())
                .setTimeUnixNano(point.timeNanos())
                .setAsDouble(value)
                .setFlags(point.flags());
        for (Exemplar exemplar : point.exemplars()) {
            dataPoint.addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                    .addAllFilteredAttributes(keyValues(exemplar.filteredAttributes()))
                    .setTimeUnixNano(exemplar.timestampNanos())
                    .setAsDouble(exemplar.value())
                    .setTraceId(idBytes(exemplar.traceId()))
                    .setSpanId(idBytes(exemplar.spanId())));
        }
        return dataPoint.build();
    }

    private static List<KeyValue> keyValues(Map<String, String> attributes) {
        List<KeyValue> keyValues = new ArrayList<>(attributes.size());
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            keyValues.add(KeyValue.newBuilder().setKey(attribute.getKey())
                    .setValue(AnyValue.newBuilder().setStringValue(attribute.getValue())).build());
        }
        return keyValues;
    }

    /** The bytes of a lower-case hex id; empty for the empty id. */
    private static ByteString idBytes(String hex) {
        if (hex.isEmpty()) {
            return ByteString.EMPTY;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4)
                    | Character.digit(hex.charAt(2 * i + 1), 16));
        }
        return ByteString.copyFrom(bytes);
    }
}
