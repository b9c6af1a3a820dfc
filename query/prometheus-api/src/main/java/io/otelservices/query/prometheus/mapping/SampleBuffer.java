package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.Series;
import java.util.Arrays;

/**
 * The samples of one Prometheus series while it is built: primitive arrays that grow. A sample at the time of the
 * previous one replaces it (a series has one sample per millisecond), an earlier one is dropped. Not thread-safe.
 */
final class SampleBuffer {

    private long[] timestamps = new long[8];
    private double[] values = new double[8];
    private int size;

    void add(long timestampMillis, double value) {
        if (size > 0) {
            long last = timestamps[size - 1];
            if (timestampMillis == last) {
                values[size - 1] = value;
                return;
            }
            if (timestampMillis < last) {
                return;
            }
        }
        if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    int size() {
        return size;
    }

    long timestampMillis(int index) {
        return timestamps[index];
    }

    double value(int index) {
        return values[index];
    }

    /** This buffer's samples merged into {@code other}'s time order (same labels from two stored series). */
    void addAll(SampleBuffer other) {
        SampleBuffer merged = new SampleBuffer();
        int i = 0;
        int j = 0;
        while (i < size || j < other.size) {
            if (j >= other.size || i < size && timestamps[i] <= other.timestamps[j]) {
                merged.add(timestamps[i], values[i]);
                i++;
            } else {
                merged.add(other.timestamps[j], other.values[j]);
                j++;
            }
        }
        timestamps = merged.timestamps;
        values = merged.values;
        size = merged.size;
    }

    Series toSeries(Labels labels) {
        return new Series(labels, timestamps, values, size);
    }
}
