package io.otelservices.query.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Queryable} over series held in memory: the reference the engine's tests and the conformance runner read
 * from. Series are appended with {@link #add}; reads are thread-safe once writing is done.
 */
public final class InMemoryQueryable implements Queryable {

    private static final class Samples {
        long[] times = new long[8];
        double[] values = new double[8];
        int size;

        void add(long time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }
    }

    private final Map<Labels, Samples> series = new TreeMap<>();

    /** Adds a sample; a sample at a time the series already has replaces it. */
    public void add(Labels labels, long timeMillis, double value) {
        Samples samples = series.computeIfAbsent(labels, l -> new Samples());
        int at = lowerBound(samples, timeMillis);
        if (at < samples.size && samples.times[at] == timeMillis) {
            samples.values[at] = value;
            return;
        }
        samples.add(timeMillis, value);
        if (at < samples.size - 1) {
            System.arraycopy(samples.times, at, samples.times, at + 1, samples.size - 1 - at);
            System.arraycopy(samples.values, at, samples.values, at + 1, samples.size - 1 - at);
            samples.times[at] = timeMillis;
            samples.values[at] = value;
        }
    }

    public void clear() {
        series.clear();
    }

    @Override
    public List<Series> select(SelectHints hints, List<LabelMatcher> matchers) {
        List<Series> selected = new ArrayList<>();
        for (Map.Entry<Labels, Samples> entry : series.entrySet()) {
            if (!matchesAll(entry.getKey(), matchers)) {
                continue;
            }
            Samples samples = entry.getValue();
            int from = lowerBound(samples, hints.startMillis());
            int to = lowerBound(samples, hints.endMillis() + 1);
            if (to > from) {
                selected.add(new Series(entry.getKey(), Arrays.copyOfRange(samples.times, from, to),
                        Arrays.copyOfRange(samples.values, from, to)));
            }
        }
        return selected;
    }

    @Override
    public List<Labels> series(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
        List<Labels> found = new ArrayList<>();
        for (Series one : select(new SelectHints(startMillis, endMillis, 0, 0, ""), matchers)) {
            if (found.size() == limit) {
                break;
            }
            found.add(one.labels());
        }
        return found;
    }

    @Override
    public List<String> labelNames(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
        TreeSet<String> names = new TreeSet<>();
        for (Series one : select(new SelectHints(startMillis, endMillis, 0, 0, ""), matchers)) {
            names.addAll(one.labels().names());
        }
        return limited(names, limit);
    }

    @Override
    public List<String> labelValues(String name, long startMillis, long endMillis, List<LabelMatcher> matchers,
            int limit) {
        TreeSet<String> values = new TreeSet<>();
        for (Series one : select(new SelectHints(startMillis, endMillis, 0, 0, ""), matchers)) {
            String value = one.labels().get(name);
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return limited(values, limit);
    }

    private static List<String> limited(TreeSet<String> sorted, int limit) {
        List<String> list = new ArrayList<>(sorted);
        return list.size() > limit ? list.subList(0, limit) : list;
    }

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    private static int lowerBound(Samples samples, long time) {
        int low = 0;
        int high = samples.size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (samples.times[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
