package io.otelservices.storage.duckdb;

import io.otelservices.storage.objectstore.BlockCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one query holds until its transaction has ended: the pinned cache copies of the cold blocks it reads, so that
 * the cache cannot evict a file DuckDB is still scanning. {@link DuckDbReadPool} opens one around each query and
 * closes it after the commit or rollback; {@link TableSources} adds to it while it builds the query's relations.
 *
 * <p>Used by one reader thread at a time; not thread-safe.
 */
final class QueryScope implements AutoCloseable {

    private List<BlockCache.Pinned> pins; // created on the first cold block: most queries read none

    /**
     * A complete local copy of {@code key}, downloaded on a cache miss, kept until {@link #close()}.
     *
     * @throws io.otelservices.storage.objectstore.ObjectStoreException if it cannot be downloaded
     */
    Path pin(BlockCache cache, String key) {
        BlockCache.Pinned pinned = cache.localCopy(key);
        if (pins == null) {
            pins = new ArrayList<>();
        }
        pins.add(pinned);
        return pinned.path();
    }

    /** Unpins every copy; the cache may evict them from now on. */
    @Override
    public void close() {
        if (pins == null) {
            return;
        }
        for (BlockCache.Pinned pinned : pins) {
            pinned.close();
        }
        pins = null;
    }
}
