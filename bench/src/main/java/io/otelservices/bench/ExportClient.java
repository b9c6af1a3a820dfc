package io.otelservices.bench;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one encoded export request and classifies the answer. Implementations never complete exceptionally: every
 * failure becomes an {@link ExportResult}. Thread-safe; may be called from any thread, completes on an event loop.
 */
interface ExportClient extends AutoCloseable {

    CompletableFuture<ExportResult> export(Signal signal, byte[] body);

    @Override
    void close();

    /**
     * How one attempt ended.
     *
     * @param outcome accepted, refused (retryable answer: HTTP 429/502/503/504, gRPC UNAVAILABLE, or
     *     RESOURCE_EXHAUSTED with a RetryInfo), transport (connection failed or reset: retryable) or failed
     * @param rejectedItems items the server reported as rejected in an accepted partial success
     * @param retryDelayMillis the server's hint (Retry-After, RetryInfo), or -1
     * @param detail a short description of a failure, or null
     */
    record ExportResult(Outcome outcome, long rejectedItems, long retryDelayMillis, String detail) {

        enum Outcome { ACCEPTED, REFUSED, TRANSPORT, FAILED }

        static final ExportResult ACCEPTED = new ExportResult(Outcome.ACCEPTED, 0, -1, null);

        static ExportResult accepted(long rejectedItems) {
            return rejectedItems == 0 ? ACCEPTED : new ExportResult(Outcome.ACCEPTED, rejectedItems, -1, null);
        }

        static ExportResult refused(long retryDelayMillis, String detail) {
            return new ExportResult(Outcome.REFUSED, 0, retryDelayMillis, detail);
        }

        static ExportResult transport(String detail) {
            return new ExportResult(Outcome.TRANSPORT, 0, -1, detail);
        }

        static ExportResult failed(String detail) {
            return new ExportResult(Outcome.FAILED, 0, -1, detail);
        }
    }
}
