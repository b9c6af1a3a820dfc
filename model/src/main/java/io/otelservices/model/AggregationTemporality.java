package io.otelservices.model;

/** OTLP aggregation temporality of sums and histograms; numbers as in the OTLP enum. */
public enum AggregationTemporality {
    UNSPECIFIED(0),
    DELTA(1),
    CUMULATIVE(2);

    private final int number;

    AggregationTemporality(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The temporality of an OTLP enum number; unknown numbers are {@link #UNSPECIFIED}. */
    public static AggregationTemporality ofNumber(int number) {
        return switch (number) {
            case 1 -> DELTA;
            case 2 -> CUMULATIVE;
            default -> UNSPECIFIED;
        };
    }
}
