package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.Labels;
import io.otelservices.storage.MetricSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels of a stored series (OpenTelemetry specification, "OTLP Metric points to Prometheus": Metric Attributes,
 * Instrumentation Scope, Resource Attributes): point attributes under sanitised names, {@code otel_scope_name} and
 * {@code otel_scope_version}, and {@code job} and {@code instance} from the resource. The resource's other
 * attributes are not labels; they go to {@code target_info} ({@link TargetInfo}). Stateless and thread-safe.
 */
final class SeriesLabels {

    static final String JOB = "job";
    static final String INSTANCE = "instance";
    static final String SCOPE_NAME = "otel_scope_name";
    static final String SCOPE_VERSION = "otel_scope_version";
    static final String BUCKET_BOUND = "le";
    static final String QUANTILE = "quantile";

    static final String SERVICE_NAME = "service.name";
    static final String SERVICE_NAMESPACE = "service.namespace";
    static final String SERVICE_INSTANCE_ID = "service.instance.id";

    private SeriesLabels() {}

    /**
     * The labels of {@code series} without {@code __name__}.
     *
     * @param verbatim keep attribute keys as they are (metrics that came from Prometheus)
     */
    static Labels.Builder of(MetricSeries series, boolean verbatim) {
        Labels.Builder labels = Labels.newBuilder();
        putAttributes(labels, series.attributes(), verbatim);
        labels.set(SCOPE_NAME, series.scopeName());
        labels.set(SCOPE_VERSION, series.scopeVersion());
        putJobAndInstance(labels, series.resourceAttributes());
        return labels;
    }

    /**
     * {@code job} ({@code service.namespace/service.name}, or {@code service.name}) and {@code instance}
     * ({@code service.instance.id}) from resource attributes; they replace attributes of the same name, and a
     * resource without them leaves those labels as they are.
     */
    static void putJobAndInstance(Labels.Builder labels, Map<String, String> resourceAttributes) {
        String job = job(resourceAttributes);
        if (!job.isEmpty()) {
            labels.set(JOB, job);
        }
        String instance = resourceAttributes.getOrDefault(SERVICE_INSTANCE_ID, "");
        if (!instance.isEmpty()) {
            labels.set(INSTANCE, instance);
        }
    }

    static String job(Map<String, String> resourceAttributes) {
        String name = resourceAttributes.getOrDefault(SERVICE_NAME, "");
        if (name.isEmpty()) {
            return "";
        }
        String namespace = resourceAttributes.getOrDefault(SERVICE_NAMESPACE, "");
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /**
     * Attributes as labels. Keys that sanitise to the same label name have their values joined with {@code ;}, in
     * the order of the original keys (the specification's rule for such collisions); keys with nothing valid left
     * are dropped.
     */
    static void putAttributes(Labels.Builder labels, Map<String, String> attributes, boolean verbatim) {
        if (verbatim) {
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                labels.set(attribute.getKey(), attribute.getValue());
            }
            return;
        }
        TreeMap<String, List<String>> byKey = new TreeMap<>();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = PrometheusNames.labelName(attribute.getKey());
            if (!name.isEmpty() && !attribute.getValue().isEmpty()) {
                byKey.computeIfAbsent(name, n -> new ArrayList<>()).add(attribute.getKey());
            }
        }
        for (Map.Entry<String, List<String>> entry : byKey.entrySet()) {
            List<String> keys = entry.getValue();
            if (keys.size() == 1) {
                labels.set(entry.getKey(), attributes.get(keys.get(0)));
                continue;
            }
            keys.sort(null);
            StringBuilder joined = new StringBuilder();
            for (String key : keys) {
                if (joined.length() > 0) {
                    joined.append(';');
                }
                joined.append(attributes.get(key));
            }
            labels.set(entry.getKey(), joined.toString());
        }
    }
}
