package io.otelservices.ingest.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OTLP metrics to {@link MetricPoint}s, one per data point; integer values become doubles. */
final class MetricConverter {

    private MetricConverter() {}

    static List<MetricPoint> points(ExportMetricsServiceRequest request) {
        List<MetricPoint> points = new ArrayList<>();
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Resource resource = OtlpConverter.resource(resourceMetrics.getResource(), resourceMetrics.getSchemaUrl());
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                InstrumentationScope scope =
                        OtlpConverter.scope(scopeMetrics.getScope(), scopeMetrics.getSchemaUrl());
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    new MetricContext(resource, scope, metric).addPoints(points);
                }
            }
        }
        return points;
    }

    /** What every point of one metric shares. */
    private record MetricContext(Resource resource, InstrumentationScope scope, Metric metric,
            Map<String, String> metadata) {

        MetricContext(Resource resource, InstrumentationScope scope, Metric metric) {
            this(resource, scope, metric, AnyValueText.attributes(metric.getMetadataList()));
        }

        void addPoints(List<MetricPoint> out) {
            switch (metric.getDataCase()) {
                case GAUGE -> {
                    for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
                        out.add(point(point, new MetricValue.Gauge(numberValue(point))));
                    }
                }
                case SUM -> {
                    AggregationTemporality temporality =
                            AggregationTemporality.ofNumber(metric.getSum().getAggregationTemporalityValue());
                    boolean monotonic = metric.getSum().getIsMonotonic();
                    for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                        out.add(point(point, new MetricValue.Sum(numberValue(point), temporality, monotonic)));
                    }
                }
                case HISTOGRAM -> {
                    AggregationTemporality temporality =
                            AggregationTemporality.ofNumber(metric.getHistogram().getAggregationTemporalityValue());
                    for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
                        out.add(histogram(point, temporality));
                    }
                }
                case EXPONENTIAL_HISTOGRAM -> {
                    AggregationTemporality temporality = AggregationTemporality.ofNumber(
                            metric.getExponentialHistogram().getAggregationTemporalityValue());
                    for (ExponentialHistogramDataPoint point : metric.getExponentialHistogram().getDataPointsList()) {
                        out.add(exponentialHistogram(point, temporality));
                    }
                }
                case SUMMARY -> {
                    for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
                        out.add(summary(point));
                    }
                }
                case DATA_NOT_SET -> {
                    // A metric without data has no points to keep.
                }
            }
        }

        private MetricPoint point(NumberDataPoint point, MetricValue value) {
            return newPoint(point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(),
                    point.getFlags(), exemplars(point.getExemplarsList()), value);
        }

        private MetricPoint histogram(HistogramDataPoint point, AggregationTemporality temporality) {
            long[] bucketCounts = new long[point.getBucketCountsCount()];
            for (int i = 0; i < bucketCounts.length; i++) {
                bucketCounts[i] = point.getBucketCounts(i);
            }
            double[] bounds = new double[point.getExplicitBoundsCount()];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = point.getExplicitBounds(i);
            }
            MetricValue value = new MetricValue.Histogram(point.getCount(),
                    point.hasSum() ? point.getSum() : Double.NaN, bucketCounts, bounds,
                    point.hasMin() ? point.getMin() : Double.NaN, point.hasMax() ? point.getMax() : Double.NaN,
                    temporality);
            return newPoint(point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(),
                    point.getFlags(), exemplars(point.getExemplarsList()), value);
        }

        private MetricPoint exponentialHistogram(ExponentialHistogramDataPoint point,
                AggregationTemporality temporality) {
            ExponentialHistogramDataPoint.Buckets positive = point.getPositive();
            ExponentialHistogramDataPoint.Buckets negative = point.getNegative();
            MetricValue value = new MetricValue.ExponentialHistogram(point.getCount(),
                    point.hasSum() ? point.getSum() : Double.NaN, point.getScale(), point.getZeroCount(),
                    point.getZeroThreshold(), positive.getOffset(), bucketCounts(positive), negative.getOffset(),
                    bucketCounts(negative), point.hasMin() ? point.getMin() : Double.NaN,
                    point.hasMax() ? point.getMax() : Double.NaN, temporality);
            return newPoint(point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(),
                    point.getFlags(), exemplars(point.getExemplarsList()), value);
        }

        private MetricPoint summary(SummaryDataPoint point) {
            List<MetricValue.ValueAtQuantile> quantiles = new ArrayList<>(point.getQuantileValuesCount());
            for (SummaryDataPoint.ValueAtQuantile quantile : point.getQuantileValuesList()) {
                quantiles.add(new MetricValue.ValueAtQuantile(quantile.getQuantile(), quantile.getValue()));
            }
            MetricValue value = new MetricValue.Summary(point.getCount(), point.getSum(), quantiles);
            return newPoint(point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(),
                    point.getFlags(), List.of(), value);
        }

        private MetricPoint newPoint(List<io.opentelemetry.proto.common.v1.KeyValue> attributes, long startTime,
                long time, int flags, List<Exemplar> exemplars, MetricValue value) {
            return new MetricPoint(resource, scope, resource.serviceName(), metric.getName(),
                    metric.getDescription(), metric.getUnit(), metadata, AnyValueText.attributes(attributes),
                    startTime, time, flags, exemplars, value);
        }
    }

    private static double numberValue(NumberDataPoint point) {
        return switch (point.getValueCase()) {
            case AS_DOUBLE -> point.getAsDouble();
            case AS_INT -> point.getAsInt();
            case VALUE_NOT_SET -> Double.NaN;
        };
    }

    private static long[] bucketCounts(ExponentialHistogramDataPoint.Buckets buckets) {
        long[] counts = new long[buckets.getBucketCountsCount()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets.getBucketCounts(i);
        }
        return counts;
    }

    private static List<Exemplar> exemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
        if (exemplars.isEmpty()) {
            return List.of();
        }
        List<Exemplar> out = new ArrayList<>(exemplars.size());
        for (io.opentelemetry.proto.metrics.v1.Exemplar exemplar : exemplars) {
            double value = switch (exemplar.getValueCase()) {
                case AS_DOUBLE -> exemplar.getAsDouble();
                case AS_INT -> exemplar.getAsInt();
                case VALUE_NOT_SET -> Double.NaN;
            };
            out.add(new Exemplar(exemplar.getTimeUnixNano(), value, AnyValueText.idHex(exemplar.getTraceId()),
                    AnyValueText.idHex(exemplar.getSpanId()),
                    AnyValueText.attributes(exemplar.getFilteredAttributesList())));
        }
        return out;
    }
}
