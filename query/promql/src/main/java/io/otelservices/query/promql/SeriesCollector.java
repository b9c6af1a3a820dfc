package io.otelservices.query.promql;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers output samples into series by label set, in first-seen order, and fails the query as Prometheus does when
 * one step gets two samples with the same labels.
 */
final class SeriesCollector {

    /** One output series; adding to it directly saves a lookup per sample. */
    static final class Entry {
        final StepSeries series;
        final BitSet steps = new BitSet();
        boolean unordered;
        int lastStep = -1;

        Entry(Labels labels, int capacity) {
            series = new StepSeries(labels, capacity);
        }
    }

    private final Map<Labels, Entry> entries = new LinkedHashMap<>();
    private final int capacity;

    SeriesCollector(int stepCount) {
        this.capacity = Math.min(stepCount, 64);
    }

    void add(Labels labels, int step, double value) {
        add(entry(labels), step, value);
    }

    /** The output series with these labels, created on first use. */
    Entry entry(Labels labels) {
        Entry entry = entries.get(labels);
        if (entry == null) {
            entry = new Entry(labels, capacity);
            entries.put(labels, entry);
        }
        return entry;
    }

    void add(Entry entry, int step, double value) {
        if (entry.steps.get(step)) {
            throw new QueryException(QueryException.Category.EXECUTION,
                    "vector cannot contain metrics with the same labelset");
        }
        entry.steps.set(step);
        if (step < entry.lastStep) {
            entry.unordered = true;
        }
        entry.lastStep = step;
        entry.series.add(step, value);
    }

    List<StepSeries> series() {
        List<StepSeries> all = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            if (entry.series.size == 0) {
                continue;
            }
            if (entry.unordered) {
                sortBySteps(entry.series);
            }
            all.add(entry.series);
        }
        return all;
    }

    private static void sortBySteps(StepSeries series) {
        Integer[] order = new Integer[series.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(series.steps[a], series.steps[b]));
        int[] steps = new int[series.size];
        double[] values = new double[series.size];
        for (int i = 0; i < order.length; i++) {
            steps[i] = series.steps[order[i]];
            values[i] = series.values[order[i]];
        }
        series.steps = steps;
        series.values = values;
    }
}
