package io.otelservices.storage.duckdb;

import io.otelservices.storage.objectstore.ObjectInfo;
import io.otelservices.storage.objectstore.ObjectStore;
import io.otelservices.storage.objectstore.ObjectStoreException;
import java.nio.file.Path;
import java.util.List;

/** An object store that cannot be reached: every call fails as {@link ObjectStoreException.Reason#UNREACHABLE}. */
final class UnreachableObjectStore implements ObjectStore {

    @Override
    public void put(String key, Path file) {
        throw unreachable(key);
    }

    @Override
    public void get(String key, Path target) {
        throw unreachable(key);
    }

    @Override
    public boolean exists(String key) {
        throw unreachable(key);
    }

    @Override
    public long size(String key) {
        throw unreachable(key);
    }

    @Override
    public void delete(String key) {
        throw unreachable(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        throw unreachable(prefix);
    }

    @Override
    public void check() {
        throw unreachable("");
    }

    @Override
    public void close() {}

    private static ObjectStoreException unreachable(String key) {
        return new ObjectStoreException(ObjectStoreException.Reason.UNREACHABLE,
                "cannot reach the object store for '" + key + "' (a test store that is always down)");
    }
}
