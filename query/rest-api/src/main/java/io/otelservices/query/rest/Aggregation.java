package io.otelservices.query.rest;

import java.util.Locale;

/** The aggregations of {@code POST /api/v1/metrics}; docs/API.md spells out their semantics. */
enum Aggregation {
    AVG("avg", Double.NaN),
    SUM("sum", Double.NaN),
    MIN("min", Double.NaN),
    MAX("max", Double.NaN),
    COUNT("count", Double.NaN),
    RATE("rate", Double.NaN),
    P50("p50", 0.50),
    P90("p90", 0.90),
    P95("p95", 0.95),
    P99("p99", 0.99);

    private final String label;
    private final double quantile;

    Aggregation(String label, double quantile) {
        this.label = label;
        this.quantile = quantile;
    }

    /** The name in requests and responses. */
    String label() {
        return label;
    }

    /** The quantile in (0, 1) of a {@code pNN} aggregation, {@code NaN} for the others. */
    double quantile() {
        return quantile;
    }

    boolean isQuantile() {
        return !Double.isNaN(quantile);
    }

    /**
     * Whether a bucket's value depends on the last point before it (the baseline of a cumulative series'
     * increase), so that the selection must reach one step further back.
     */
    boolean needsBaseline() {
        return this == RATE || isQuantile();
    }

    /** The aggregation of a request's name, case-insensitively, or {@code null} when there is none. */
    static Aggregation ofLabel(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        for (Aggregation aggregation : values()) {
            if (aggregation.label.equals(lower)) {
                return aggregation;
            }
        }
        return null;
    }

    /** The allowed names, for error messages: {@code avg, sum, ...}. */
    static String allowedLabels() {
        StringBuilder labels = new StringBuilder();
        for (Aggregation aggregation : values()) {
            if (labels.length() > 0) {
                labels.append(", ");
            }
            labels.append(aggregation.label);
        }
        return labels.toString();
    }
}
