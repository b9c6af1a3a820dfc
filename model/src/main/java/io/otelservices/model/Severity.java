package io.otelservices.model;

/**
 * The OTLP severity ranges (logs data model): each short name covers four severity numbers.
 */
public enum Severity {
    UNSPECIFIED(0),
    TRACE(1),
    DEBUG(5),
    INFO(9),
    WARN(13),
    ERROR(17),
    FATAL(21);

    private final int lowestNumber;

    Severity(int lowestNumber) {
        this.lowestNumber = lowestNumber;
    }

    /** The smallest severity number of this range ({@code INFO} is 9). */
    public int lowestNumber() {
        return lowestNumber;
    }

    /** The range a severity number falls in; numbers outside 1..24 are {@link #UNSPECIFIED}. */
    public static Severity ofNumber(int severityNumber) {
        if (severityNumber < 1 || severityNumber > 24) {
            return UNSPECIFIED;
        }
        return values()[(severityNumber - 1) / 4 + 1];
    }
}
