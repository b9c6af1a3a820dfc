package io.otelservices.ingest.logging;

/**
 * Lets at most one log line through per interval for a repeated failure, and counts the ones it held back
 * (VictoriaMetrics' {@code lib/logger/throttler.go} idea). Thread-safe.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private long nextAllowedNanos;
    private long suppressed;
    private boolean first = true;

    public LogThrottle(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Whether to log now: returns how many events were suppressed since the last logged one (0 or more) when the
     * caller should log, or {@code -1} when it should stay quiet.
     */
    public synchronized long tryAcquire() {
        long now = System.nanoTime();
        if (first || now - nextAllowedNanos >= 0) {
            first = false;
            nextAllowedNanos = now + intervalNanos;
            long held = suppressed;
            suppressed = 0;
            return held;
        }
        suppressed++;
        return -1;
    }

    /** Forgets the interval, so that the next failure is logged at once (call after a success). */
    public synchronized void reset() {
        first = true;
        suppressed = 0;
    }
}
