package io.otelservices.storage.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ObjectStore} must do. Each implementation extends this class and supplies a fresh, empty store
 * per test and a view of the same store whose downloads break off midway.
 */
abstract class ObjectStoreContract {
    static final int MIB = 1024 * 1024;

    @TempDir
    Path temp;

    ObjectStore store;

    /** A store with nothing in it, isolated from other tests. */
    protected abstract ObjectStore newStore() throws Exception;

    /**
     * The objects of {@link #store}, seen through a store whose downloads fail after about {@code 1 MiB} of the
     * object has been written to the temporary file.
     */
    protected abstract ObjectStore storeWhoseDownloadsBreakOff() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) { // null when the test was skipped before it opened one
            store.close();
        }
    }

    @Test
    void put_thenGet_roundTripsMultiMegabyteFileByteExact() throws IOException {
        Path source = randomFile("source.bin", 3 * MIB + 17, 1);

        store.put("traces/2026/11/23/block-01.parquet", source);
        Path target = temp.resolve("downloaded.bin");
        store.get("traces/2026/11/23/block-01.parquet", target);

        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    }

    @Test
    void put_emptyFile_storesEmptyObject() throws IOException {
        Path source = Files.createFile(temp.resolve("empty.bin"));

        store.put("empty", source);

        assertThat(store.size("empty")).isZero();
        Path target = temp.resolve("empty-downloaded.bin");
        store.get("empty", target);
        assertThat(Files.size(target)).isZero();
    }

    @Test
    void put_existingKey_replacesWholeObject() throws IOException {
        store.put("block", randomFile("first.bin", 2 * MIB, 2));
        Path second = randomFile("second.bin", 1000, 3);

        store.put("block", second);

        Path target = temp.resolve("downloaded.bin");
        store.get("block", target);
        assertThat(Files.mismatch(second, target)).isEqualTo(-1L);
        assertThat(store.size("block")).isEqualTo(1000);
    }

    @Test
    void put_missingSourceFile_throwsLocalIo() {
        Path missing = temp.resolve("no-such-file.bin");

        assertFails(Reason.LOCAL_IO, () -> store.put("block", missing))
                .hasMessageContaining(missing.toString());
        assertThat(store.exists("block")).isFalse();
    }

    @Test
    void get_missingKey_throwsNotFoundNamingTheKey() {
        Path target = temp.resolve("target.bin");

        assertFails(Reason.NOT_FOUND, () -> store.get("traces/missing.parquet", target))
                .hasMessageContaining("traces/missing.parquet")
                .hasMessageContaining("no such key");
        assertThat(target).doesNotExist();
    }

    @Test
    void get_existingTarget_isReplaced() throws IOException {
        Path source = randomFile("source.bin", 4096, 4);
        store.put("block", source);
        Path target = randomFile("target.bin", 3 * MIB, 5);

        store.get("block", target);

        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    }

    @Test
    void get_downloadBreaksOff_leavesNoPartialFile() throws Exception {
        store.put("block", randomFile("source.bin", 4 * MIB, 6));
        Path downloads = Files.createDirectory(temp.resolve("downloads"));
        Path target = downloads.resolve("block.parquet");

        try (ObjectStore breaking = storeWhoseDownloadsBreakOff()) {
            assertThatThrownBy(() -> breaking.get("block", target))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("block");
        }

        assertThat(target).doesNotExist();
        assertThat(filesIn(downloads)).isEmpty();
    }

    @Test
    void get_downloadBreaksOff_keepsExistingTarget() throws Exception {
        store.put("block", randomFile("source.bin", 4 * MIB, 7));
        Path downloads = Files.createDirectory(temp.resolve("downloads"));
        Path target = downloads.resolve("block.parquet");
        Files.writeString(target, "the old copy");

        try (ObjectStore breaking = storeWhoseDownloadsBreakOff()) {
            assertThatThrownBy(() -> breaking.get("block", target)).isInstanceOf(ObjectStoreException.class);
        }

        assertThat(target).hasContent("the old copy");
        assertThat(filesIn(downloads)).containsExactly(target);
    }

    @Test
    void existsAndSize_storedObject_reportIt() throws IOException {
        store.put("logs/block", randomFile("source.bin", 12345, 8));

        assertThat(store.exists("logs/block")).isTrue();
        assertThat(store.size("logs/block")).isEqualTo(12345);
        assertThat(store.exists("logs/other")).isFalse();
        assertThat(store.exists("logs")).isFalse();
    }

    @Test
    void size_missingKey_throwsNotFound() {
        assertFails(Reason.NOT_FOUND, () -> store.size("missing"))
                .hasMessageContaining("missing");
    }

    @Test
    void delete_isIdempotent() throws IOException {
        store.put("block", randomFile("source.bin", 100, 9));

        store.delete("block");
        store.delete("block");
        store.delete("never-existed");

        assertThat(store.exists("block")).isFalse();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void list_prefix_returnsMatchingKeysSortedWithSizes() throws IOException {
        List<String> keys = List.of("traces/2026-11-23/b", "traces/2026-11-23/a", "traces/2026-11-24/a",
                "traces/2026-12-01/a", "logs/2026-11-23/a", "traces-old/a", "metrics/a");
        for (int i = 0; i < keys.size(); i++) {
            store.put(keys.get(i), randomFile("file-" + i, 10 + i, i));
        }

        List<ObjectInfo> november = store.list("traces/2026-11");

        assertThat(november).extracting(ObjectInfo::key)
                .containsExactly("traces/2026-11-23/a", "traces/2026-11-23/b", "traces/2026-11-24/a");
        assertThat(november).extracting(ObjectInfo::sizeBytes).containsExactly(11L, 10L, 12L);
        assertThat(november).allSatisfy(info -> assertThat(info.lastModified()).isNotNull());
        assertThat(store.list("traces/")).hasSize(4);
        assertThat(store.list("traces")).hasSize(5);
        assertThat(store.list("")).extracting(ObjectInfo::key)
                .containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(store.list("nothing/here")).isEmpty();
    }

    @Test
    void list_afterDelete_omitsDeletedKeys() throws IOException {
        store.put("a/1", randomFile("one", 1, 1));
        store.put("a/2", randomFile("two", 2, 2));

        store.delete("a/1");

        assertThat(store.list("a/")).extracting(ObjectInfo::key).containsExactly("a/2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/leading", "trailing/", "double//slash", "a/../b", "./a", "a/.", "back\\slash",
        "tab\there", "name.objectstore-tmp"})
    void operations_invalidKey_areRejected(String key) throws IOException {
        Path file = randomFile("file", 1, 1);

        assertThatThrownBy(() -> store.put(key, file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key: ");
        assertThatThrownBy(() -> store.get(key, temp.resolve("t"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.exists(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void list_prefixWithDotDot_isRejected() {
        assertThatThrownBy(() -> store.list("../outside/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("prefix: ");
    }

    @Test
    void check_usableStore_passes() {
        store.check();
    }

    @Test
    void put_concurrentOverwrites_readersSeeOneWholeVersion() throws Exception {
        Path first = randomFile("first.bin", MIB, 10);
        Path second = randomFile("second.bin", MIB + 100, 11);
        store.put("block", first);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = executor.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    store.put("block", i % 2 == 0 ? second : first);
                }
                return null;
            });
            Future<List<Path>> reader = executor.submit(() -> {
                List<Path> reads = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Path target = temp.resolve("read-" + i);
                    store.get("block", target);
                    reads.add(target);
                }
                return reads;
            });
            writer.get(60, TimeUnit.SECONDS);
            for (Path read : reader.get(60, TimeUnit.SECONDS)) {
                assertThat(Files.mismatch(read, first) == -1 || Files.mismatch(read, second) == -1)
                        .as("%s is one whole version", read)
                        .isTrue();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Asserts that {@code call} throws an {@link ObjectStoreException} for {@code reason}, for more checks. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertFails(Reason reason, ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** A file of {@code size} pseudo-random bytes from {@code seed}. */
    Path randomFile(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(temp.resolve(name), bytes);
    }

    static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
