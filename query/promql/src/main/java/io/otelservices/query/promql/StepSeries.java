package io.otelservices.query.promql;

import java.util.Arrays;

/**
 * A series being built step by step: its value at some of an evaluation's steps (indexes into the step times).
 * What a vector-typed expression evaluates to over a range. Not thread-safe.
 */
final class StepSeries {

    Labels labels;
    int[] steps;
    double[] values;
    int size;

    StepSeries(Labels labels, int capacity) {
        this.labels = labels;
        this.steps = new int[Math.max(1, capacity)];
        this.values = new double[Math.max(1, capacity)];
    }

    void add(int step, double value) {
        if (size == steps.length) {
            int grown = size * 2;
            steps = Arrays.copyOf(steps, grown);
            values = Arrays.copyOf(values, grown);
        }
        steps[size] = step;
        values[size] = value;
        size++;
    }

    @Override
    public String toString() {
        return labels + " (" + size + " steps)";
    }
}
