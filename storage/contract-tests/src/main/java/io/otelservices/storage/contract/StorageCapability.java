package io.otelservices.storage.contract;

/**
 * What a backend may not support. The suite assumes every capability; a backend opts out by overriding
 * {@link StorageContract#supports(StorageCapability)}, and the suite then checks that it fails cleanly instead.
 */
public enum StorageCapability {
    /**
     * Data and the write-ahead-log sequence survive {@link io.otelservices.storage.StorageBackend#close()} and
     * opening the same store again ({@link StorageContract#reopen(io.otelservices.storage.StorageBackend)}).
     * Without it, a closed backend must refuse reads and writes rather than answer from nothing.
     */
    REOPEN
}
