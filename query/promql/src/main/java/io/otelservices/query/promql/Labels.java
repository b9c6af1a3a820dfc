package io.otelservices.query.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Prometheus label set: names sorted, each at most once, no empty values (an empty value means "no such label").
 * The metric name is the label {@value #METRIC_NAME}. Immutable and thread-safe.
 */
public final class Labels implements Comparable<Labels> {

    /** The label that holds the metric name. */
    public static final String METRIC_NAME = "__name__";

    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Labels from {@code name, value, name, value, ...}; empty values are dropped, a repeated name keeps the last. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("nameValues: " + nameValues.length + " strings (expected: pairs)");
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(Objects.requireNonNull(nameValues[i], "name"), Objects.requireNonNull(nameValues[i + 1], "value"));
        }
        return of(map);
    }

    /** Labels from a map; entries with empty values are dropped. */
    public static Labels of(Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        sorted.values().removeIf(String::isEmpty);
        String[] names = new String[sorted.size()];
        String[] values = new String[sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            names[i] = entry.getKey();
            values[i] = entry.getValue();
            i++;
        }
        return new Labels(names, values);
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int index) {
        return names[index];
    }

    public String value(int index) {
        return values[index];
    }

    /** The value of {@code name}, or {@code ""} when absent (PromQL treats both alike). */
    public String get(String name) {
        int index = Arrays.binarySearch(names, name);
        return index >= 0 ? values[index] : "";
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** The metric name, or {@code ""}. */
    public String metricName() {
        return get(METRIC_NAME);
    }

    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? builder().remove(METRIC_NAME).build() : this;
    }

    /** Only the given names (those present). */
    public Labels keep(Collection<String> keep) {
        Builder builder = new Builder();
        for (int i = 0; i < names.length; i++) {
            if (keep.contains(names[i])) {
                builder.set(names[i], values[i]);
            }
        }
        return builder.build();
    }

    /** All but the given names. */
    public Labels drop(Collection<String> drop) {
        Builder builder = new Builder();
        for (int i = 0; i < names.length; i++) {
            if (!drop.contains(names[i])) {
                builder.set(names[i], values[i]);
            }
        }
        return builder.build();
    }

    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    public List<String> names() {
        return List.of(names);
    }

    public Builder builder() {
        Builder builder = new Builder();
        for (int i = 0; i < names.length; i++) {
            builder.set(names[i], values[i]);
        }
        return builder;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** Prometheus' order: label by label, name then value; a prefix sorts first. */
    @Override
    public int compareTo(Labels other) {
        int common = Math.min(names.length, other.names.length);
        for (int i = 0; i < common; i++) {
            int byName = names[i].compareTo(other.names[i]);
            if (byName != 0) {
                return byName;
            }
            int byValue = values[i].compareTo(other.values[i]);
            if (byValue != 0) {
                return byValue;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Labels labels
                && hashCode() == labels.hashCode()
                && Arrays.equals(names, labels.names)
                && Arrays.equals(values, labels.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    /** {@code name{a="b", c="d"}}, values quoted as Go would. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        String metric = metricName();
        text.append(metric);
        int shown = 0;
        text.append('{');
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(METRIC_NAME)) {
                continue;
            }
            if (shown++ > 0) {
                text.append(", ");
            }
            text.append(names[i]).append('=').append(Strings.quote(values[i]));
        }
        text.append('}');
        return metric.isEmpty() || shown > 0 ? text.toString() : metric;
    }

    /** Builds a label set; setting an empty value removes the label. Not thread-safe. */
    public static final class Builder {
        private final TreeMap<String, String> labels = new TreeMap<>();

        private Builder() {}

        public Builder set(String name, String value) {
            if (value == null || value.isEmpty()) {
                labels.remove(name);
            } else {
                labels.put(name, value);
            }
            return this;
        }

        public Builder remove(String name) {
            labels.remove(name);
            return this;
        }

        public String get(String name) {
            return labels.getOrDefault(name, "");
        }

        public Labels build() {
            return of(labels);
        }
    }

    /** The names of several label sets, sorted and distinct. */
    static List<String> sortedNames(Collection<Labels> sets) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        for (Labels labels : sets) {
            all.addAll(labels.names());
        }
        return new ArrayList<>(all);
    }
}
