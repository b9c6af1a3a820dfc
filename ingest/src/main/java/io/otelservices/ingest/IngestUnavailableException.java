package io.otelservices.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The ingest pipeline cannot take a request right now; the client should retry after {@link #retryAfter()}.
 * Receivers answer HTTP 503 with {@code Retry-After}, or gRPC {@code UNAVAILABLE} with a {@code RetryInfo}.
 */
public final class IngestUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the request was refused; {@link #tagValue()} is the {@code reason} tag of the rejected-items metric. */
    public enum Reason {
        /** More items are waiting for storage than {@link IngestConfig#maxQueuedItems()}. */
        OVERLOADED("overloaded"),
        /** Queued items use more than the soft memory limit ({@link IngestConfig#memorySoftLimitBytes()}). */
        MEMORY_LIMIT("memory_limit"),
        /** The write-ahead log holds {@link IngestConfig#walMaxBytes()} (storage is down or far behind). */
        WAL_FULL("wal_full"),
        /** The write-ahead log could not make the request durable. */
        WAL_UNAVAILABLE("wal_unavailable"),
        /** The pipeline is closing or closed. */
        SHUTTING_DOWN("shutting_down");

        private final String tagValue;

        Reason(String tagValue) {
            this.tagValue = tagValue;
        }

        public String tagValue() {
            return tagValue;
        }
    }

    private final Reason reason;
    private final Duration retryAfter;

    public IngestUnavailableException(Reason reason, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter");
    }

    public Reason reason() {
        return reason;
    }

    /** How long the client should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
