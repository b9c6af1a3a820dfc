package io.otelservices.storage.objectstore;

import java.nio.file.Path;
import java.util.List;

/**
 * A flat namespace of immutable-ish files addressed by key: the cold tier where sealed blocks go (S3-compatible
 * object storage, or a local directory).
 *
 * <p><b>Keys</b> are {@code /}-separated paths such as {@code traces/2026/11/23/block-01.parquet}: not empty, at most
 * 1024 UTF-8 bytes, no leading or trailing {@code /}, no empty, {@code .} or {@code ..} segment, no backslash or
 * control character, and not ending in {@code .objectstore-tmp} (the suffix of this module's temporary files). A bad
 * key is an {@link IllegalArgumentException}. Do not store both {@code a} and {@code a/b}: a directory-backed store
 * cannot.
 *
 * <p><b>Atomicity.</b> {@link #put} makes the object visible whole or not at all, never half-written, and an
 * overwrite replaces it whole. {@link #get} writes to a temporary file next to the target, forces it to disk and
 * renames it over the target, so the target is either the complete object or what it was before.
 *
 * <p><b>Errors.</b> Every operation throws the unchecked {@link ObjectStoreException} with a message a person can
 * act on (missing key or bucket, refused credentials, unreachable endpoint, local disk error) and a
 * {@link ObjectStoreException#reason() reason} a caller can branch on.
 *
 * <p><b>Threads.</b> Implementations are thread-safe. All calls block; do not call them on an event loop.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Uploads {@code file} as {@code key}, replacing any object there. Large files go up in parts; the object appears
     * only once every part is stored.
     *
     * @throws ObjectStoreException if the file cannot be read or the upload fails; the object is then as it was
     */
    void put(String key, Path file);

    /**
     * Downloads {@code key} to {@code target}, replacing the file there. The bytes go to a temporary file in the
     * target's directory that is forced to disk and renamed over {@code target}; on failure it is deleted and
     * {@code target} is left as it was. The target's directory must exist.
     *
     * @throws ObjectStoreException with {@link ObjectStoreException.Reason#NOT_FOUND} if there is no such key
     */
    void get(String key, Path target);

    /** Whether an object is stored under {@code key}. */
    boolean exists(String key);

    /**
     * The length in bytes of the object under {@code key}.
     *
     * @throws ObjectStoreException with {@link ObjectStoreException.Reason#NOT_FOUND} if there is no such key
     */
    long size(String key);

    /** Deletes the object under {@code key}; deleting a missing key does nothing. */
    void delete(String key);

    /**
     * Every object whose key starts with {@code prefix} (which may be empty and need not end in {@code /}), sorted by
     * key. Implementations page through the store as needed; the whole listing is held in memory.
     */
    List<ObjectInfo> list(String prefix);

    /**
     * Checks that the store can be used: the endpoint answers, the credentials are accepted and the bucket (or root
     * directory) exists. For readiness checks and for a clear error at startup rather than at the first upload; an
     * S3 {@code HEAD} on a missing bucket looks like a missing key, so {@link #exists} alone cannot tell.
     *
     * @throws ObjectStoreException saying what is wrong
     */
    void check();

    /** Releases connections and threads; the store must not be used afterwards. */
    @Override
    void close();
}
