package io.otelservices.ingest;

/**
 * The three OTLP signals. Each has its own HTTP path, metric tag and write-ahead-log record type.
 */
public enum Signal {
    TRACES((byte) 1, "traces", "/v1/traces"),
    METRICS((byte) 2, "metrics", "/v1/metrics"),
    LOGS((byte) 3, "logs", "/v1/logs");

    private final byte walRecordType;
    private final String tagValue;
    private final String httpPath;

    Signal(byte walRecordType, String tagValue, String httpPath) {
        this.walRecordType = walRecordType;
        this.tagValue = tagValue;
        this.httpPath = httpPath;
    }

    /**
     * The type byte of this signal's write-ahead-log records, whose payload is the signal's
     * {@code Export*ServiceRequest} as protobuf. Part of the on-disk format: never renumber.
     */
    public byte walRecordType() {
        return walRecordType;
    }

    /** The value of the {@code signal} tag on self-metrics: {@code traces}, {@code metrics} or {@code logs}. */
    public String tagValue() {
        return tagValue;
    }

    /** The OTLP/HTTP path: {@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}. */
    public String httpPath() {
        return httpPath;
    }

    /** The signal of a write-ahead-log record type, or {@code null} for an unknown type. */
    public static Signal ofWalRecordType(byte type) {
        for (Signal signal : values()) {
            if (signal.walRecordType == type) {
                return signal;
            }
        }
        return null;
    }
}
