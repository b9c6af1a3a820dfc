package io.otelservices.storage;

import java.util.concurrent.CompletableFuture;

/**
 * Writes batches of telemetry. Ingest calls it from one thread at a time and in write-ahead-log order; a backend
 * may still run the work on threads of its own.
 *
 * <p>Exactly-once contract: a batch's rows and its {@link WriteBatch#walSequence()} become durable together or not
 * at all. After a crash, ingest replays the write-ahead log from {@link #durableWalSequence()} + 1, so nothing is
 * stored twice and nothing acknowledged is lost.
 */
public interface BatchWriter {

    /**
     * Stores {@code batch} durably. The future completes once the rows are durable and visible to readers, or
     * exceptionally with the cause (see {@link StorageBackend#isOverCapacity(Throwable)}); on failure nothing of the
     * batch is visible.
     */
    CompletableFuture<Void> write(WriteBatch batch);

    /**
     * The highest {@link WriteBatch#walSequence()} durably stored, or {@code 0} when nothing was ever written.
     * Blocking; called at start-up.
     */
    long durableWalSequence();
}
