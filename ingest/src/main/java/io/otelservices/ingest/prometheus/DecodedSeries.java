package io.otelservices.ingest.prometheus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code prometheus.TimeSeries} as {@link RemoteWriteDecoder} read it. The decoder reuses one instance for every
 * series of a request ({@link #reset()} between them), so a consumer copies what it keeps. Not thread-safe.
 *
 * <p>A label name or value that is not valid UTF-8 is held as {@code null}: the series is then rejected, not the
 * whole request.
 */
final class DecodedSeries {

    private String[] labelNames = new String[16];
    private String[] labelValues = new String[16];
    private int labelCount;
    private long[] timestampsMillis = new long[4];
    private double[] values = new double[4];
    private int sampleCount;
    private final List<Exemplar> exemplars = new ArrayList<>(0);
    private int histogramCount;

    /**
     * An exemplar of the series.
     *
     * @param labelNames its label names, {@code null} entries where not valid UTF-8
     * @param labelValues its label values, {@code null} entries where not valid UTF-8
     */
    record Exemplar(String[] labelNames, String[] labelValues, double value, long timestampMillis) {}

    void reset() {
        labelCount = 0;
        sampleCount = 0;
        exemplars.clear();
        histogramCount = 0;
    }

    /**
     * The label name at {@code index} of the previous series, or {@code null}: series of one request mostly share
     * their label names and many values, so the decoder reuses the previous string when the bytes are the same.
     */
    String previousName(int index) {
        return index < labelNames.length ? labelNames[index] : null;
    }

    /** The label value at {@code index} of the previous series, or {@code null}; see {@link #previousName}. */
    String previousValue(int index) {
        return index < labelValues.length ? labelValues[index] : null;
    }

    void addLabel(String name, String value) {
        if (labelCount == labelNames.length) {
            labelNames = Arrays.copyOf(labelNames, labelCount * 2);
            labelValues = Arrays.copyOf(labelValues, labelCount * 2);
        }
        labelNames[labelCount] = name;
        labelValues[labelCount] = value;
        labelCount++;
    }

    void addSample(long timestampMillis, double value) {
        if (sampleCount == values.length) {
            timestampsMillis = Arrays.copyOf(timestampsMillis, sampleCount * 2);
            values = Arrays.copyOf(values, sampleCount * 2);
        }
        timestampsMillis[sampleCount] = timestampMillis;
        values[sampleCount] = value;
        sampleCount++;
    }

    void addExemplar(Exemplar exemplar) {
        exemplars.add(exemplar);
    }

    void addHistogram() {
        histogramCount++;
    }

    int labelCount() {
        return labelCount;
    }

    String labelName(int index) {
        return labelNames[index];
    }

    String labelValue(int index) {
        return labelValues[index];
    }

    /**
     * Sorts the labels by name ({@link String#compareTo}); senders already send them sorted (remote write 1.0), so
     * this insertion sort is one pass in practice. {@code null} names sort first.
     */
    void sortLabels() {
        for (int i = 1; i < labelCount; i++) {
            String name = labelNames[i];
            String value = labelValues[i];
            int j = i - 1;
            while (j >= 0 && compareNames(labelNames[j], name) > 0) {
                labelNames[j + 1] = labelNames[j];
                labelValues[j + 1] = labelValues[j];
                j--;
            }
            labelNames[j + 1] = name;
            labelValues[j + 1] = value;
        }
    }

    private static int compareNames(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    int sampleCount() {
        return sampleCount;
    }

    long timestampMillis(int index) {
        return timestampsMillis[index];
    }

    double value(int index) {
        return values[index];
    }

    List<Exemplar> exemplars() {
        return exemplars;
    }

    /** Native histogram samples, which this receiver does not store. */
    int histogramCount() {
        return histogramCount;
    }
}
