package io.otelservices.query.promql;

import java.util.Arrays;

/**
 * The functions of a range vector: each reads one series' samples in one window {@code [from, to)} (indexes into
 * the series' arrays) and gives a value, or NaN-with-absent via {@link #ABSENT}.
 */
final class RangeFunctions {

    /** Returned when the window gives no output sample (e.g. rate over fewer than two samples). */
    static final double ABSENT = Double.longBitsToDouble(0x7ff8dead0000beefL);

    static boolean isAbsent(double value) {
        return Double.doubleToRawLongBits(value) == 0x7ff8dead0000beefL;
    }

    /**
     * The window and what a function needs about it. Mutable and reused from window to window (one per call), so
     * that the per-step loop allocates nothing.
     */
    static final class Window {
        private long[] times;
        private double[] values;
        private int from;
        private int to;
        private long rangeStartMillis;
        private long rangeEndMillis;
        private long rangeMillis;
        private long evaluationMillis;

        Window set(long[] times, double[] values, int from, int to, long rangeStartMillis, long rangeEndMillis,
                long rangeMillis, long evaluationMillis) {
            this.times = times;
            this.values = values;
            this.from = from;
            this.to = to;
            this.rangeStartMillis = rangeStartMillis;
            this.rangeEndMillis = rangeEndMillis;
            this.rangeMillis = rangeMillis;
            this.evaluationMillis = evaluationMillis;
            return this;
        }

        long[] times() {
            return times;
        }

        double[] values() {
            return values;
        }

        /** First sample of the window, inclusive. */
        int from() {
            return from;
        }

        /** After the last sample of the window. */
        int to() {
            return to;
        }

        long rangeStartMillis() {
            return rangeStartMillis;
        }

        long rangeEndMillis() {
            return rangeEndMillis;
        }

        long rangeMillis() {
            return rangeMillis;
        }

        /** The step's time: the query's evaluation time, before {@code @} and {@code offset}. */
        long evaluationMillis() {
            return evaluationMillis;
        }

        int count() {
            return to - from;
        }
    }

    /** A function of a window at a step (the step indexes the scalar arguments). */
    interface WindowFunction {
        double apply(Window window, int step);
    }

    private RangeFunctions() {}

    /** rate, increase, delta: Prometheus' extrapolation to the window's edges. */
    static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        if (w.count() < 2) {
            return ABSENT;
        }
        double[] v = w.values();
        long[] t = w.times();
        int first = w.from();
        int last = w.to() - 1;
        double result = v[last] - v[first];
        if (isCounter) {
            double previous = v[first];
            for (int i = first + 1; i <= last; i++) {
                if (v[i] < previous) {
                    result += previous;
                }
                previous = v[i];
            }
        }
        double durationToStart = (t[first] - w.rangeStartMillis()) / 1000.0;
        double durationToEnd = (w.rangeEndMillis() - t[last]) / 1000.0;
        double sampledInterval = (t[last] - t[first]) / 1000.0;
        double averageBetweenSamples = sampledInterval / (last - first);
        double threshold = averageBetweenSamples * 1.1;
        if (durationToStart >= threshold) {
            durationToStart = averageBetweenSamples / 2;
        }
        if (isCounter) {
            double durationToZero = durationToStart;
            if (result > 0 && v[first] >= 0) {
                durationToZero = sampledInterval * (v[first] / result);
            }
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageBetweenSamples / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= w.rangeMillis() / 1000.0;
        }
        return result * factor;
    }

    /** irate, idelta: the last two samples. */
    static double instantRate(Window w, boolean isRate) {
        if (w.count() < 2) {
            return ABSENT;
        }
        int last = w.to() - 1;
        double lastValue = w.values()[last];
        double previousValue = w.values()[last - 1];
        double result;
        if (isRate && lastValue < previousValue) {
            result = lastValue;
        } else {
            result = lastValue - previousValue;
        }
        long interval = w.times()[last] - w.times()[last - 1];
        if (interval == 0) {
            return ABSENT;
        }
        return isRate ? result / (interval / 1000.0) : result;
    }

    static double changes(Window w) {
        if (w.count() == 0) {
            return ABSENT;
        }
        int changes = 0;
        double previous = w.values()[w.from()];
        for (int i = w.from() + 1; i < w.to(); i++) {
            double current = w.values()[i];
            if (current != previous && !(Double.isNaN(current) && Double.isNaN(previous))) {
                changes++;
            }
            previous = current;
        }
        return changes;
    }

    static double resets(Window w) {
        if (w.count() == 0) {
            return ABSENT;
        }
        int resets = 0;
        double previous = w.values()[w.from()];
        for (int i = w.from() + 1; i < w.to(); i++) {
            double current = w.values()[i];
            if (current < previous) {
                resets++;
            }
            previous = current;
        }
        return resets;
    }

    /** Least-squares slope and intercept at {@code interceptMillis}, with Kahan sums as Prometheus. */
    static double[] linearRegression(Window w, long interceptMillis) {
        double n = 0;
        double sumX = 0;
        double cX = 0;
        double sumY = 0;
        double cY = 0;
        double sumXY = 0;
        double cXY = 0;
        double sumX2 = 0;
        double cX2 = 0;
        double initY = w.values()[w.from()];
        boolean constY = true;
        for (int i = w.from(); i < w.to(); i++) {
            double y = w.values()[i];
            if (constY && i > w.from() && y != initY) {
                constY = false;
            }
            n += 1;
            double x = (w.times()[i] - interceptMillis) / 1000.0;
            double[] kx = kahanAdd(x, sumX, cX);
            sumX = kx[0];
            cX = kx[1];
            double[] ky = kahanAdd(y, sumY, cY);
            sumY = ky[0];
            cY = ky[1];
            double[] kxy = kahanAdd(x * y, sumXY, cXY);
            sumXY = kxy[0];
            cXY = kxy[1];
            double[] kx2 = kahanAdd(x * x, sumX2, cX2);
            sumX2 = kx2[0];
            cX2 = kx2[1];
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {0, initY};
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        double intercept = sumY / n - slope * sumX / n;
        return new double[] {slope, intercept};
    }

    /** Kahan-Babuska summation step: the new sum and compensation. */
    static double[] kahanAdd(double value, double sum, double compensation) {
        double t = sum + value;
        double c = compensation;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(value)) {
            c += (sum - t) + value;
        } else {
            c += (value - t) + sum;
        }
        return new double[] {t, c};
    }

    static double deriv(Window w) {
        if (w.count() < 2) {
            return ABSENT;
        }
        return linearRegression(w, w.times()[w.from()])[0];
    }

    static double predictLinear(Window w, double durationSeconds) {
        if (w.count() < 2) {
            return ABSENT;
        }
        double[] regression = linearRegression(w, w.evaluationMillis());
        return regression[0] * durationSeconds + regression[1];
    }

    static double sumOverTime(Window w) {
        double sum = 0;
        double c = 0;
        for (int i = w.from(); i < w.to(); i++) {
            double[] k = kahanAdd(w.values()[i], sum, c);
            sum = k[0];
            c = k[1];
        }
        return Double.isInfinite(sum) ? sum : sum + c;
    }

    static double avgOverTime(Window w) {
        int n = w.count();
        double sum = 0;
        double c = 0;
        boolean incremental = false;
        double mean = 0;
        double meanC = 0;
        for (int i = w.from(); i < w.to(); i++) {
            double value = w.values()[i];
            int count = i - w.from() + 1;
            if (!incremental) {
                double[] k = kahanAdd(value, sum, c);
                if (!Double.isInfinite(k[0]) || Double.isInfinite(value)) {
                    sum = k[0];
                    c = k[1];
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                meanC = c / (count - 1);
            }
            double q = (count - 1.0) / count;
            double[] k = kahanAdd(value / count, q * mean, q * meanC);
            mean = k[0];
            meanC = k[1];
        }
        if (incremental) {
            return mean + meanC;
        }
        return Double.isInfinite(sum) ? sum / n : (sum + c) / n;
    }

    static double minOverTime(Window w) {
        double min = w.values()[w.from()];
        for (int i = w.from() + 1; i < w.to(); i++) {
            double value = w.values()[i];
            if (value < min || Double.isNaN(min)) {
                min = value;
            }
        }
        return min;
    }

    static double maxOverTime(Window w) {
        double max = w.values()[w.from()];
        for (int i = w.from() + 1; i < w.to(); i++) {
            double value = w.values()[i];
            if (value > max || Double.isNaN(max)) {
                max = value;
            }
        }
        return max;
    }

    /** The time, in seconds, of the minimum ({@code max} false) or maximum sample; the last one on ties. */
    static double timeOfExtreme(Window w, boolean max) {
        int best = w.from();
        for (int i = w.from() + 1; i < w.to(); i++) {
            double value = w.values()[i];
            double current = w.values()[best];
            boolean better = max ? value >= current || Double.isNaN(current) : value <= current || Double.isNaN(current);
            if (better && !Double.isNaN(value) || Double.isNaN(current) && Double.isNaN(value)) {
                best = i;
            }
        }
        return w.times()[best] / 1000.0;
    }

    static double varianceOverTime(Window w) {
        double mean = 0;
        double meanC = 0;
        double aux = 0;
        double auxC = 0;
        int count = 0;
        for (int i = w.from(); i < w.to(); i++) {
            double value = w.values()[i];
            count++;
            double delta = value - (mean + meanC);
            double[] m = kahanAdd(delta / count, mean, meanC);
            mean = m[0];
            meanC = m[1];
            double[] a = kahanAdd(delta * (value - (mean + meanC)), aux, auxC);
            aux = a[0];
            auxC = a[1];
        }
        return (aux + auxC) / count;
    }

    static double quantileOverTime(double q, Window w) {
        return Aggregations.quantileOf(q, Arrays.copyOfRange(w.values(), w.from(), w.to()));
    }

    /** Median absolute deviation from the median. */
    static double madOverTime(Window w) {
        double[] values = Arrays.copyOfRange(w.values(), w.from(), w.to());
        for (double value : values) {
            if (Double.isNaN(value)) {
                return Double.NaN;
            }
        }
        double median = Aggregations.quantileOf(0.5, values.clone());
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return Aggregations.quantileOf(0.5, deviations);
    }

    /** Holt's double exponential smoothing with smoothing factor {@code sf} and trend factor {@code tf}. */
    static double doubleExponentialSmoothing(Window w, double sf, double tf) {
        if (w.count() < 2) {
            return ABSENT;
        }
        double[] v = w.values();
        int first = w.from();
        double s0 = 0;
        double s1 = v[first];
        double b = v[first + 1] - v[first];
        for (int i = 1; i < w.count(); i++) {
            double x = sf * v[first + i];
            if (i > 1) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
