package io.otelservices.storage;

import java.util.concurrent.CompletableFuture;

/**
 * Writes batches of telemetry. Ingest may call it from several threads at once, with batches in any order; a backend
 * may run the work on threads of its own.
 *
 * <p>Exactly-once contract: a batch's rows and its write-ahead-log range ({@link WriteBatch#walRange()}) become
 * durable together or not at all. After a crash, ingest replays every logged record outside
 * {@link #storedWalRanges()}, so nothing is stored twice and nothing acknowledged is lost.
 */
public interface BatchWriter {

    /**
     * Stores {@code batch} durably. The future completes once the rows are durable and visible to readers, or
     * exceptionally with the cause (see {@link StorageBackend#isOverCapacity(Throwable)}); on failure nothing of the
     * batch is visible.
     */
    CompletableFuture<Void> write(WriteBatch batch);

    /** The write-ahead-log ranges durably stored (empty when nothing was ever written). Blocking; called at start-up. */
    StoredWalRanges storedWalRanges();

    /** {@link StoredWalRanges#contiguous()} of {@link #storedWalRanges()}. */
    default long durableWalSequence() {
        return storedWalRanges().contiguous();
    }
}
