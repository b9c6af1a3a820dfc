package io.otelservices.bench;

/** The three OTLP signals, with the OTLP/HTTP path of each (OTLP specification, "OTLP/HTTP Request"). */
enum Signal {
    TRACES("traces", "/v1/traces"),
    LOGS("logs", "/v1/logs"),
    METRICS("metrics", "/v1/metrics");

    private final String flagName;
    private final String httpPath;

    Signal(String flagName, String httpPath) {
        this.flagName = flagName;
        this.httpPath = httpPath;
    }

    /** The name used in flags and reports: {@code traces}, {@code logs}, {@code metrics}. */
    String flagName() {
        return flagName;
    }

    String httpPath() {
        return httpPath;
    }

    /** The noun for one item of this signal in reports. */
    String itemName() {
        return switch (this) {
            case TRACES -> "spans";
            case LOGS -> "log records";
            case METRICS -> "data points";
        };
    }

    static Signal ofFlag(String name) {
        for (Signal signal : values()) {
            if (signal.flagName.equals(name)) {
                return signal;
            }
        }
        throw new IllegalArgumentException("signal: " + name + " (expected: traces, logs or metrics)");
    }
}
