package io.otelservices.storage.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCacheTest {
    private static final int KIB = 1024;

    @TempDir
    Path temp;

    private CountingObjectStore store;
    private Path cacheDirectory;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void setUp() {
        store = new CountingObjectStore(new LocalObjectStore(temp.resolve("store")));
        cacheDirectory = temp.resolve("cache");
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private BlockCache newCache(long maxBytes) {
        return new BlockCache(store, cacheDirectory, maxBytes, clock);
    }

    @Test
    void localCopy_miss_downloadsCompleteFileUnderCacheDirectory() throws IOException {
        Path source = putRandom("traces/2026/block-01.parquet", 300 * KIB, 1);

        try (BlockCache cache = newCache(MIB);
                BlockCache.Pinned block = cache.localCopy("traces/2026/block-01.parquet")) {
            assertThat(block.path()).isEqualTo(cacheDirectory.resolve("traces/2026/block-01.parquet"));
            assertThat(Files.mismatch(source, block.path())).isEqualTo(-1L);
            assertThat(block.sizeBytes()).isEqualTo(300 * KIB);
            assertThat(cache.stats().usedBytes()).isEqualTo(300 * KIB);
        }
    }

    @Test
    void localCopy_hit_doesNotDownloadAgain() throws IOException {
        putRandom("block", 10 * KIB, 1);
        try (BlockCache cache = newCache(MIB)) {
            cache.localCopy("block").close();
            cache.localCopy("block").close();
            cache.localCopy("block").close();

            assertThat(store.gets()).isEqualTo(1);
            assertThat(cache.stats().hits()).isEqualTo(2);
            assertThat(cache.stats().misses()).isEqualTo(1);
        }
    }

    @Test
    void localCopy_sameKeyConcurrently_downloadsOnce() throws Exception {
        Path source = putRandom("block", 200 * KIB, 2);
        int callers = 8;
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        try (BlockCache cache = newCache(MIB)) {
            store.hold();
            List<Future<Path>> copies = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                copies.add(executor.submit(() -> {
                    try (BlockCache.Pinned block = cache.localCopy("block")) {
                        assertThat(Files.mismatch(source, block.path())).isEqualTo(-1L);
                        return block.path();
                    }
                }));
            }
            // every caller has either started the one download or is waiting for it
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().hits() == callers - 1);
            store.release();

            for (Future<Path> copy : copies) {
                assertThat(copy.get(30, TimeUnit.SECONDS)).isEqualTo(cacheDirectory.resolve("block"));
            }
            assertThat(store.gets()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void localCopy_missingKey_throwsNotFoundAndCachesNothing() {
        try (BlockCache cache = newCache(MIB)) {
            assertThatThrownBy(() -> cache.localCopy("missing"))
                    .isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));

            assertThat(cache.contains("missing")).isFalse();
            assertThat(cache.stats().usedBytes()).isZero();
            assertThat(cache.stats().files()).isZero();
        }
    }

    @Test
    void localCopy_afterFailedDownload_triesAgain() throws IOException {
        try (BlockCache cache = newCache(MIB)) {
            assertThatThrownBy(() -> cache.localCopy("late")).isInstanceOf(ObjectStoreException.class);
            Path source = putRandom("late", 1000, 3);

            try (BlockCache.Pinned block = cache.localCopy("late")) {
                assertThat(Files.mismatch(source, block.path())).isEqualTo(-1L);
            }
        }
    }

    @Test
    void localCopy_downloadBreaksOff_leavesNoFileInCache() throws IOException {
        ObjectStore breaking = new LocalObjectStore(temp.resolve("store"), file -> {
            throw new IOException("simulated disk failure");
        });
        putRandom("block", 1000, 4);

        try (BlockCache cache = new BlockCache(breaking, cacheDirectory, MIB, clock)) {
            assertThatThrownBy(() -> cache.localCopy("block"))
                    .isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.LOCAL_IO));
            assertThat(cache.stats().usedBytes()).isZero();
        }
        assertThat(regularFilesIn(cacheDirectory)).isEmpty();
    }

    @Test
    void eviction_overBudget_deletesLeastRecentlyUsedFirst() throws IOException {
        putRandom("a", 40 * KIB, 1);
        putRandom("b", 40 * KIB, 2);
        putRandom("c", 40 * KIB, 3);
        try (BlockCache cache = newCache(100 * KIB)) {
            cache.localCopy("a").close();
            cache.localCopy("b").close();
            cache.localCopy("a").close(); // b is now the least recently used

            cache.localCopy("c").close();

            assertThat(cache.contains("a")).isTrue();
            assertThat(cache.contains("b")).isFalse();
            assertThat(cache.contains("c")).isTrue();
            assertThat(cacheDirectory.resolve("b")).doesNotExist();
            assertThat(cache.stats().usedBytes()).isEqualTo(80 * KIB).isLessThanOrEqualTo(cache.maxBytes());
            assertThat(cache.stats().evictions()).isEqualTo(1);
        }
    }

    @Test
    void eviction_neverDeletesPinnedFiles() throws IOException {
        Path a = putRandom("a", 60 * KIB, 1);
        Path b = putRandom("b", 60 * KIB, 2);
        try (BlockCache cache = newCache(100 * KIB)) {
            BlockCache.Pinned pinnedA = cache.localCopy("a");
            try (BlockCache.Pinned pinnedB = cache.localCopy("b")) {
                // both pinned: over budget, but neither may go
                assertThat(Files.mismatch(a, pinnedA.path())).isEqualTo(-1L);
                assertThat(Files.mismatch(b, pinnedB.path())).isEqualTo(-1L);
                assertThat(cache.stats().usedBytes()).isEqualTo(120 * KIB);
            }
            // b unpinned and the budget is exceeded: b, the only unpinned file, goes although a is older
            assertThat(cache.contains("b")).isFalse();
            assertThat(Files.mismatch(a, pinnedA.path())).isEqualTo(-1L);
            pinnedA.close();
            assertThat(cache.contains("a")).isTrue();
            assertThat(cache.stats().usedBytes()).isEqualTo(60 * KIB);
        }
    }

    @Test
    void localCopy_objectLargerThanBudget_isServedThenEvictedWhenUnpinned() throws IOException {
        Path big = putRandom("big", 200 * KIB, 5);
        try (BlockCache cache = newCache(100 * KIB)) {
            try (BlockCache.Pinned block = cache.localCopy("big")) {
                assertThat(Files.mismatch(big, block.path())).isEqualTo(-1L);
            }

            assertThat(cache.contains("big")).isFalse();
            assertThat(cache.stats().usedBytes()).isZero();
        }
    }

    @Test
    void evict_pinnedFile_isDeletedWhenUnpinned() throws IOException {
        putRandom("block", KIB, 6);
        try (BlockCache cache = newCache(MIB)) {
            BlockCache.Pinned block = cache.localCopy("block");

            cache.evict("block");
            assertThat(block.path()).exists();
            block.close();
            block.close(); // twice is harmless

            assertThat(cache.contains("block")).isFalse();
            assertThat(cacheDirectory.resolve("block")).doesNotExist();
            assertThat(cache.stats().usedBytes()).isZero();
        }
    }

    @Test
    void restart_rebuildsIndexFromDirectoryAndDeletesTemporaryFiles() throws IOException {
        Path a = putRandom("traces/a", 10 * KIB, 1);
        putRandom("traces/b", 20 * KIB, 2);
        try (BlockCache cache = newCache(MIB)) {
            cache.localCopy("traces/a").close();
            cache.localCopy("traces/b").close();
        }
        Path leftover = cacheDirectory.resolve("traces/.c.0123456789abcdef" + AtomicFile.TEMP_SUFFIX);
        Files.writeString(leftover, "half a download");
        int downloadsBefore = store.gets();

        try (BlockCache restarted = newCache(MIB)) {
            assertThat(restarted.contains("traces/a")).isTrue();
            assertThat(restarted.contains("traces/b")).isTrue();
            assertThat(restarted.stats().usedBytes()).isEqualTo(30 * KIB);
            assertThat(leftover).doesNotExist();
            try (BlockCache.Pinned block = restarted.localCopy("traces/a")) {
                assertThat(Files.mismatch(a, block.path())).isEqualTo(-1L);
            }
            assertThat(store.gets()).isEqualTo(downloadsBefore);
        }
    }

    @Test
    void restart_smallerBudget_evictsLeastRecentlyUsedFirst() throws IOException {
        putRandom("a", 40 * KIB, 1);
        putRandom("b", 40 * KIB, 2);
        putRandom("c", 40 * KIB, 3);
        try (BlockCache cache = newCache(MIB)) {
            cache.localCopy("a").close();
            clock.advance(Duration.ofMinutes(1));
            cache.localCopy("b").close();
            clock.advance(Duration.ofMinutes(1));
            cache.localCopy("c").close();
            clock.advance(Duration.ofMinutes(1));
            cache.localCopy("a").close(); // used last: its file's modification time moves on
        }

        try (BlockCache restarted = newCache(90 * KIB)) {
            assertThat(restarted.contains("b")).isFalse();
            assertThat(restarted.contains("c")).isTrue();
            assertThat(restarted.contains("a")).isTrue();
            assertThat(cacheDirectory.resolve("b")).doesNotExist();
        }
    }

    @Test
    void localCopy_closedCache_throws() {
        BlockCache cache = newCache(MIB);
        cache.close();

        assertThatThrownBy(() -> cache.localCopy("block"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void constructor_nonPositiveBudget_throws() {
        assertThatThrownBy(() -> newCache(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes: 0 (expected: >= 1)");
    }

    private static final int MIB = 1024 * KIB;

    private Path putRandom(String key, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(temp.resolve("source-" + key.replace('/', '_')), bytes);
        store.put(key, file);
        return file;
    }

    private static List<Path> regularFilesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** A clock that tests move by hand; the cache stamps used files with it. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
