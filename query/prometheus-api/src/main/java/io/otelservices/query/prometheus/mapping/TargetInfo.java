package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.Labels;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesPoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Synthesises {@code target_info} (OpenTelemetry specification, "OTLP Metric points to Prometheus", Resource
 * Attributes): one series per resource, labelled {@code job}, {@code instance} and the resource's other attributes
 * (sanitised), with the value 1 at every time one of the resource's points has. A resource with no attributes
 * besides {@code service.name}, {@code service.namespace} and {@code service.instance.id} has none. Not thread-safe;
 * one per selection.
 */
final class TargetInfo {

    static final String NAME = "target_info";

    private final long startMillis;
    private final long endMillis;
    private final Map<Labels, Times> resources = new HashMap<>();

    TargetInfo(long startMillis, long endMillis) {
        this.startMillis = startMillis;
        this.endMillis = endMillis;
    }

    /** The {@code target_info} labels of a resource, or {@code null} when it has none. */
    static Labels labels(Map<String, String> resourceAttributes) {
        Map<String, String> others = new HashMap<>(resourceAttributes);
        others.remove(SeriesLabels.SERVICE_NAME);
        others.remove(SeriesLabels.SERVICE_NAMESPACE);
        others.remove(SeriesLabels.SERVICE_INSTANCE_ID);
        if (others.isEmpty()) {
            return null;
        }
        Labels.Builder labels = Labels.newBuilder();
        SeriesLabels.putAttributes(labels, others, false);
        SeriesLabels.putJobAndInstance(labels, resourceAttributes);
        labels.set(Labels.METRIC_NAME, NAME);
        return labels.build();
    }

    /** Counts the times of {@code series}' points for its resource. */
    void add(MetricSeries series) {
        Labels labels = labels(series.resourceAttributes());
        if (labels == null) {
            return;
        }
        Times times = resources.computeIfAbsent(labels, l -> new Times());
        for (SeriesPoint point : series.points()) {
            long time = SeriesTranslator.millis(point);
            if (time >= startMillis && time <= endMillis) {
                times.add(time);
            }
        }
    }

    /** Hands the series to {@code out}, which applies the selection's matchers. */
    void addTo(SeriesCollector out) {
        for (Map.Entry<Labels, Times> resource : resources.entrySet()) {
            SampleBuffer samples = out.buffer(resource.getKey());
            if (samples == null) {
                continue;
            }
            long[] sorted = resource.getValue().sorted();
            for (long time : sorted) {
                samples.add(time, 1);
            }
            out.add(resource.getKey(), samples);
        }
    }

    /** Point times, unsorted with repeats until {@link #sorted()}. */
    private static final class Times {
        private long[] times = new long[16];
        private int size;

        void add(long time) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = time;
        }

        long[] sorted() {
            long[] sorted = Arrays.copyOf(times, size);
            Arrays.sort(sorted);
            return sorted;
        }
    }
}
