package io.otelservices.storage.objectstore;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One stored object as {@link ObjectStore#list(String)} reports it.
 *
 * @param key the key, without the store's own prefix
 * @param sizeBytes the object's length in bytes
 * @param lastModified when the object was last written, as the store reports it (S3 has second precision)
 */
public record ObjectInfo(String key, long sizeBytes, Instant lastModified) {
    public ObjectInfo {
        requireNonNull(key, "key");
        requireNonNull(lastModified, "lastModified");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes: " + sizeBytes + " (expected: >= 0)");
        }
    }
}
