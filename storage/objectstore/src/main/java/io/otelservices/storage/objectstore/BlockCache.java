package io.otelservices.storage.objectstore;

import static java.util.Objects.requireNonNull;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local disk cache of objects downloaded from an {@link ObjectStore}, so that cold blocks can be queried as local
 * files. Key {@code a/b/c} is cached as {@code directory/a/b/c}.
 *
 * <p><b>Use.</b> {@link #localCopy(String)} returns a {@link Pinned} handle on a complete local file, downloading it
 * first on a miss. Close the handle when the query that reads the file is done:
 * <pre>{@code
 * try (BlockCache.Pinned block = cache.localCopy("traces/2026/11/23/block-01.parquet")) {
 *     query(block.path());
 * }
 * }</pre>
 * Concurrent callers for the same key share one download: the first downloads, the others wait for it. A failed
 * download is reported to all of them and the next call tries again.
 *
 * <p><b>Budget.</b> The files' total size is kept within {@code maxBytes} by deleting the least recently used files
 * that nobody has pinned. Before downloading, the cache asks the store for the object's size and makes room for it.
 * Pinned files are never deleted, so while pinned files alone exceed the budget the cache is over it; it shrinks as
 * they are unpinned. An object larger than the whole budget is still served, and deleted once unpinned.
 *
 * <p><b>Restart.</b> The cache's index lives in memory. A new cache on the same directory rebuilds it from the files
 * there, most recently used last (the cache sets a file's modification time when it is used), deletes temporary
 * files a crash left behind, and evicts down to the budget.
 *
 * <p>Thread-safe. Closing the cache does not close the store, which the caller owns.
 */
public final class BlockCache implements AutoCloseable {
    private final ObjectStore store;
    private final Path directory;
    private final long maxBytes;
    private final Clock clock;

    private final Object lock = new Object();
    /** Every entry, downloading or ready, least recently used first. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    /** Bytes of ready entries plus the sizes reserved for downloads in flight. Guarded by {@link #lock}. */
    private long usedBytes;
    private long hits;
    private long misses;
    private long evictions;
    private long downloadedBytes;
    private boolean closed;

    /** Counters since the cache was created. */
    public record Stats(long hits, long misses, long evictions, long downloadedBytes, long usedBytes, int files) {}

    /**
     * Opens the cache in {@code directory} (created if missing), rebuilding its index from the files there.
     *
     * @param store where misses are downloaded from
     * @param directory a directory only this cache writes to
     * @param maxBytes the byte budget for cached files, at least 1
     */
    public BlockCache(ObjectStore store, Path directory, long maxBytes) {
        this(store, directory, maxBytes, Clock.systemUTC());
    }

    BlockCache(ObjectStore store, Path directory, long maxBytes, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.directory = requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(this.directory);
            rebuildIndex();
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot open the block cache in " + this.directory + ": " + e, e);
        }
        synchronized (lock) {
            evictToBudget();
        }
    }

    /**
     * Returns a pinned local copy of {@code key}, downloading it on a miss; the file is not evicted until the handle
     * is closed. Blocks while the download (this caller's or another's) runs.
     *
     * @throws ObjectStoreException from the store (for example {@link Reason#NOT_FOUND}), {@link Reason#LOCAL_IO}
     *     if the cache directory cannot be written, or {@link Reason#INTERRUPTED}
     * @throws IllegalStateException if the cache is closed
     */
    public Pinned localCopy(String key) {
        ObjectKey.validate(key);
        Entry entry;
        boolean download;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("block cache in " + directory + " is closed");
            }
            entry = entries.remove(key);
            download = entry == null;
            if (download) {
                entry = new Entry(key, directory.resolve(key));
                misses++;
            } else {
                hits++;
            }
            entries.put(key, entry); // now the most recently used
            entry.pins++;
        }
        if (download) {
            download(key, entry);
        } else {
            awaitDownload(key, entry);
            touch(entry.path);
        }
        return new Pinned(key, entry);
    }

    private void download(String key, Entry entry) {
        try {
            long size = store.size(key);
            synchronized (lock) {
                entry.sizeBytes = size;
                usedBytes += size;
                evictToBudget();
            }
            Files.createDirectories(entry.path.getParent());
            store.get(key, entry.path);
            touch(entry.path);
            long actual = Files.size(entry.path);
            synchronized (lock) {
                usedBytes += actual - entry.sizeBytes;
                entry.sizeBytes = actual;
                entry.ready = true;
                downloadedBytes += actual;
                evictToBudget();
            }
            entry.downloaded.complete(null);
        } catch (RuntimeException | IOException e) {
            ObjectStoreException failure = e instanceof ObjectStoreException objectStore
                    ? objectStore
                    : new ObjectStoreException(Reason.LOCAL_IO,
                            "cannot cache '" + key + "' in " + directory + ": " + e, e);
            synchronized (lock) {
                entries.remove(key, entry);
                usedBytes -= entry.sizeBytes;
                entry.pins--;
            }
            deleteQuietly(entry.path);
            entry.downloaded.completeExceptionally(failure);
            throw failure;
        }
    }

    private void awaitDownload(String key, Entry entry) {
        try {
            entry.downloaded.get();
        } catch (InterruptedException e) {
            unpin(entry);
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(Reason.INTERRUPTED,
                    "interrupted while waiting for the download of '" + key + "' into the block cache", e);
        } catch (ExecutionException e) {
            synchronized (lock) {
                entry.pins--;
            }
            ObjectStoreException cause = (ObjectStoreException) e.getCause();
            throw new ObjectStoreException(cause.reason(), cause.getMessage(), cause);
        }
    }

    /**
     * Drops {@code key}'s local copy, for example because the object was deleted. A pinned copy stays until its last
     * handle closes (callers that pin it meanwhile still get it); a download in flight completes and stays cached.
     */
    public void evict(String key) {
        ObjectKey.validate(key);
        synchronized (lock) {
            Entry entry = entries.get(key);
            if (entry == null || !entry.ready) {
                return;
            }
            if (entry.pins > 0) {
                entry.evictWhenUnpinned = true;
            } else {
                remove(entry);
            }
        }
    }

    /** Whether a complete local copy of {@code key} is cached. Does not count as a use. */
    public boolean contains(String key) {
        synchronized (lock) {
            Entry entry = entries.get(key);
            return entry != null && entry.ready;
        }
    }

    /** The byte budget. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The directory the cached files live in. */
    public Path directory() {
        return directory;
    }

    /** A snapshot of the counters and the space in use. */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(hits, misses, evictions, downloadedBytes, usedBytes, entries.size());
        }
    }

    /** Refuses further {@link #localCopy} calls. Cached files stay on disk for the next start; handles still close. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "BlockCache[" + directory + ", maxBytes=" + maxBytes + "]";
    }

    private void unpin(Entry entry) {
        synchronized (lock) {
            entry.pins--;
            if (entry.pins == 0 && entry.evictWhenUnpinned) {
                remove(entry);
                return;
            }
            evictToBudget();
        }
    }

    /** Deletes least recently used, unpinned, ready files until the budget holds. Caller holds {@link #lock}. */
    private void evictToBudget() {
        Iterator<Entry> iterator = entries.values().iterator();
        while (usedBytes > maxBytes && iterator.hasNext()) {
            Entry entry = iterator.next();
            if (entry.ready && entry.pins == 0) {
                iterator.remove();
                forget(entry);
            }
        }
    }

    /** Caller holds {@link #lock}. */
    private void remove(Entry entry) {
        entries.remove(entry.key, entry);
        forget(entry);
    }

    /**
     * Deletes the file of an entry just taken out of the index. Done under the lock so that a new download of the
     * same key cannot land on the path before the old file is gone.
     */
    private void forget(Entry entry) {
        usedBytes -= entry.sizeBytes;
        evictions++;
        deleteQuietly(entry.path);
    }

    private void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException e) {
            // Only the eviction order after a restart depends on it.
        }
    }

    private void rebuildIndex() throws IOException {
        List<Restored> restored = new ArrayList<>();
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (AtomicFile.isTemp(file)) {
                    Files.deleteIfExists(file);
                } else if (attributes.isRegularFile()) {
                    String key = keyOf(file);
                    if (isValidKey(key)) {
                        restored.add(new Restored(key, file, attributes.size(), attributes.lastModifiedTime()));
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!dir.equals(directory)) {
                    try {
                        Files.delete(dir); // only succeeds when empty: directories left by evictions
                    } catch (DirectoryNotEmptyException notEmpty) {
                        // in use
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        restored.sort(Comparator.comparing(Restored::lastModified).thenComparing(Restored::key));
        synchronized (lock) {
            for (Restored file : restored) {
                Entry entry = new Entry(file.key(), file.path());
                entry.sizeBytes = file.sizeBytes();
                entry.ready = true;
                entry.downloaded.complete(null);
                entries.put(file.key(), entry);
                usedBytes += file.sizeBytes();
            }
        }
    }

    private String keyOf(Path file) {
        String separator = file.getFileSystem().getSeparator();
        String relative = directory.relativize(file).toString();
        return separator.equals("/") ? relative : relative.replace(separator, "/");
    }

    private static boolean isValidKey(String key) {
        try {
            ObjectKey.validate(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file that cannot be deleted now is found again, and counted, at the next start.
        }
    }

    private record Restored(String key, Path path, long sizeBytes, FileTime lastModified) {}

    /** One cached object. The mutable fields are guarded by {@link #lock}. */
    private static final class Entry {
        final String key;
        final Path path;
        final CompletableFuture<Void> downloaded = new CompletableFuture<>();
        long sizeBytes;
        boolean ready;
        int pins;
        boolean evictWhenUnpinned;

        Entry(String key, Path path) {
            this.key = key;
            this.path = path;
        }
    }

    /**
     * A local copy that stays on disk until {@link #close()}. Not thread-safe itself; closing it twice is harmless.
     */
    public final class Pinned implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Pinned(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** The object's key. */
        public String key() {
            return key;
        }

        /** The complete local file; valid until this handle is closed. */
        public Path path() {
            return entry.path;
        }

        /** The file's length in bytes. */
        public long sizeBytes() {
            synchronized (lock) {
                return entry.sizeBytes;
            }
        }

        /** Unpins the file, which may then be evicted. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                unpin(entry);
            }
        }

        @Override
        public String toString() {
            return "Pinned[" + key + " -> " + entry.path + "]";
        }
    }
}
