package io.otelservices.storage;

import io.otelservices.model.MetricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The points of one series. A series is identified by point type, metric name, unit, resource attributes, scope
 * name and version, and point attributes; {@code metricDescription} is the latest one seen.
 *
 * @param points ordered by {@code timeNanos}, ascending
 */
public record MetricSeries(
        MetricType type,
        String metricName,
        String metricUnit,
        String metricDescription,
        String serviceName,
        Map<String, String> resourceAttributes,
        String scopeName,
        String scopeVersion,
        Map<String, String> attributes,
        List<SeriesPoint> points) {

    /**
     * The order of {@link SeriesReader#select(SeriesQuery)} results, spelled out so that every backend agrees:
     * service name, then point attributes, then metric name, point type, unit, resource attributes, scope name and
     * scope version. An attribute map compares as its entries sorted by key, entry by entry (key, then value), a map
     * whose entries are a prefix of another's first. Strings compare with {@link String#compareTo(String)}.
     */
    public static final Comparator<MetricSeries> IDENTITY_ORDER = Comparator
            .comparing(MetricSeries::serviceName)
            .thenComparing(MetricSeries::attributes, MetricSeries::compareAttributes)
            .thenComparing(MetricSeries::metricName)
            .thenComparing(MetricSeries::type)
            .thenComparing(MetricSeries::metricUnit)
            .thenComparing(MetricSeries::resourceAttributes, MetricSeries::compareAttributes)
            .thenComparing(MetricSeries::scopeName)
            .thenComparing(MetricSeries::scopeVersion);

    public MetricSeries {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metricName, "metricName");
        metricUnit = Objects.requireNonNullElse(metricUnit, "");
        metricDescription = Objects.requireNonNullElse(metricDescription, "");
        serviceName = Objects.requireNonNullElse(serviceName, "");
        scopeName = Objects.requireNonNullElse(scopeName, "");
        scopeVersion = Objects.requireNonNullElse(scopeVersion, "");
        resourceAttributes = Map.copyOf(resourceAttributes);
        attributes = Map.copyOf(attributes);
        points = List.copyOf(points);
    }

    private static int compareAttributes(Map<String, String> left, Map<String, String> right) {
        Iterator<Map.Entry<String, String>> l = sortedEntries(left).iterator();
        Iterator<Map.Entry<String, String>> r = sortedEntries(right).iterator();
        while (l.hasNext() && r.hasNext()) {
            Map.Entry<String, String> a = l.next();
            Map.Entry<String, String> b = r.next();
            int byKey = a.getKey().compareTo(b.getKey());
            if (byKey != 0) {
                return byKey;
            }
            int byValue = a.getValue().compareTo(b.getValue());
            if (byValue != 0) {
                return byValue;
            }
        }
        return Boolean.compare(l.hasNext(), r.hasNext());
    }

    private static List<Map.Entry<String, String>> sortedEntries(Map<String, String> attributes) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(attributes.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }
}
