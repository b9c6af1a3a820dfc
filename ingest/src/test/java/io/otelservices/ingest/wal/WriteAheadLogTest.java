package io.otelservices.ingest.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<WriteAheadLog> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(WriteAheadLog::close);
    }

    private WriteAheadLog open(long segmentBytes, long durable) throws IOException {
        WriteAheadLog wal = WriteAheadLog.open(dir, segmentBytes, durable, meters);
        opened.add(wal);
        return wal;
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<WalRecord> readAll(WriteAheadLog wal, long after) throws IOException {
        List<WalRecord> records = new ArrayList<>();
        wal.replay(after, records::add);
        return records;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void append_thenReopen_readsRecordsBackInOrder() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        assertThat(wal.append((byte) 1, payload("one"), null).get()).isEqualTo(1L);
        assertThat(wal.append((byte) 2, payload("two"), null).get()).isEqualTo(2L);
        assertThat(wal.append((byte) 3, new byte[0], null).get()).isEqualTo(3L);
        wal.close();

        WriteAheadLog reopened = open(1 << 20, 0);
        List<WalRecord> records = readAll(reopened, 0);
        assertThat(records).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L);
        assertThat(records).extracting(WalRecord::type).containsExactly((byte) 1, (byte) 2, (byte) 3);
        assertThat(new String(records.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(records.get(2).payload()).isEmpty();
        assertThat(readAll(reopened, 2)).extracting(WalRecord::sequence).containsExactly(3L);
        assertThat(reopened.nextSequence()).isEqualTo(4L);
    }

    @Test
    void segmentFile_startsWithVersionedHeader() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        wal.append((byte) 1, payload("x"), null).get();
        wal.close();

        byte[] bytes = Files.readAllBytes(segments().get(0));
        assertThat(segments().get(0).getFileName().toString()).isEqualTo("00000000000000000001.wal");
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("OTSWAL");
        assertThat(bytes[6] << 8 | bytes[7]).isEqualTo(1);
        assertThat(bytes).hasSize(WalFormat.HEADER_BYTES + WalFormat.RECORD_OVERHEAD_BYTES + 1);
    }

    @Test
    void open_unknownFormatVersion_fails() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        wal.append((byte) 1, payload("x"), null).get();
        wal.close();
        opened.clear();
        try (RandomAccessFile file = new RandomAccessFile(segments().get(0).toFile(), "rw")) {
            file.seek(6);
            file.writeShort(2);
        }

        assertThatThrownBy(() -> open(1 << 20, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported write-ahead-log format version 2");
    }

    @Test
    void append_manyConcurrent_groupCommitsWithFewerForcesThanAppends() throws Exception {
        WriteAheadLog wal = open(64 << 20, 0);
        int threads = 8;
        int perThread = 250;
        List<Long> durableOrder = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Long>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                executor.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < perThread; i++) {
                        futures.add(wal.append((byte) 1, payload(thread + ":" + i), durableOrder::add));
                    }
                });
            }
            start.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdownNow();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        int appends = threads * perThread;
        assertThat(futures).extracting(CompletableFuture::join).doesNotHaveDuplicates().hasSize(appends);
        // onDurable runs in sequence order, once per record.
        assertThat(durableOrder).isSorted().hasSize(appends).doesNotHaveDuplicates();
        assertThat(wal.fsyncCount()).isGreaterThan(0).isLessThan(appends);
        assertThat(meters.get("otel.wal.fsync.duration").timer().count()).isEqualTo(wal.fsyncCount());
        wal.close();
        assertThat(readAll(open(64 << 20, 0), 0)).hasSize(appends);
    }

    @Test
    void open_tornTail_truncatesAfterLastGoodRecord() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        for (int i = 1; i <= 3; i++) {
            wal.append((byte) 1, payload("record-" + i), null).get();
        }
        wal.close();
        opened.clear();
        Path segment = segments().get(0);
        long goodSize = Files.size(segment);
        // A crash in the middle of writing a fourth record: its header and half its payload reached the disk.
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(goodSize);
            file.writeInt(9 + 100);
            file.writeInt(12345);
            file.write(new byte[20]);
        }

        WriteAheadLog reopened = open(1 << 20, 0);

        assertThat(Files.size(segment)).isEqualTo(goodSize);
        assertThat(readAll(reopened, 0)).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L);
        assertThat(reopened.append((byte) 1, payload("after"), null).get()).isEqualTo(4L);
    }

    @Test
    void open_corruptRecord_detectedByChecksumAndCutThere() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        long[] ends = new long[4];
        for (int i = 1; i <= 3; i++) {
            wal.append((byte) 1, payload("record-" + i), null).get();
        }
        wal.close();
        opened.clear();
        Path segment = segments().get(0);
        int recordBytes = WalFormat.RECORD_OVERHEAD_BYTES + "record-1".length();
        ends[1] = WalFormat.HEADER_BYTES + recordBytes;
        // Flip one payload byte of the second record.
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long position = ends[1] + WalFormat.RECORD_OVERHEAD_BYTES + 2;
            file.seek(position);
            int original = file.read();
            file.seek(position);
            file.write(original ^ 0x40);
        }

        WriteAheadLog reopened = open(1 << 20, 0);

        assertThat(readAll(reopened, 0)).extracting(WalRecord::sequence).containsExactly(1L);
        assertThat(Files.size(segment)).isEqualTo(ends[1]);
        // Sequences are not reused even though records 2 and 3 were cut: 3 was handed out before.
        assertThat(reopened.append((byte) 1, payload("next"), null).get()).isGreaterThan(1L);
    }

    @Test
    void open_segmentShorterThanHeader_isDeleted() throws Exception {
        Files.write(dir.resolve(WalFormat.segmentFileName(1)), new byte[] {'O', 'T'});

        WriteAheadLog wal = open(1 << 20, 0);

        assertThat(segments()).isEmpty();
        assertThat(wal.append((byte) 1, payload("x"), null).get()).isEqualTo(1L);
    }

    @Test
    void append_pastSegmentSize_rollsSegments_andMarkDurableDeletesOldOnes() throws Exception {
        WriteAheadLog wal = open(1024, 0);
        byte[] payload = new byte[300];
        for (int i = 0; i < 10; i++) {
            wal.append((byte) 1, payload, null).get();
        }
        // 16-byte header + 3 records of 317 bytes fit in 1024.
        assertThat(segments()).hasSize(4);
        assertThat(segments().get(1).getFileName().toString()).isEqualTo("00000000000000000004.wal");
        for (Path segment : segments()) {
            assertThat(Files.size(segment)).isLessThanOrEqualTo(1024);
        }

        wal.markDurable(5); // segment 1-3 is durable, 4-6 is not yet
        assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000004.wal", "00000000000000000007.wal", "00000000000000000010.wal");

        wal.markDurable(10); // the active segment stays until it is rolled
        assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000010.wal");
        wal.close();
        assertThat(segments()).isEmpty();
    }

    @Test
    void append_recordLargerThanSegment_getsASegmentOfItsOwn() throws Exception {
        WriteAheadLog wal = open(1024, 0);
        wal.append((byte) 1, new byte[10], null).get();
        wal.append((byte) 1, new byte[5000], null).get();
        wal.append((byte) 1, new byte[10], null).get();
        wal.close();

        assertThat(segments()).hasSize(3);
        assertThat(readAll(open(1024, 0), 0)).extracting(r -> r.payload().length).containsExactly(10, 5000, 10);
    }

    @Test
    void reopen_sequencesContinue_andNeverRepeatWhenTheDirectoryWasEmptied() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        for (int i = 0; i < 5; i++) {
            wal.append((byte) 1, payload("x"), null).get();
        }
        wal.close();

        WriteAheadLog second = open(1 << 20, 3);
        assertThat(readAll(second, 3)).extracting(WalRecord::sequence).containsExactly(4L, 5L);
        assertThat(second.append((byte) 1, payload("y"), null).get()).isEqualTo(6L);
        second.close();

        for (Path segment : segments()) {
            Files.delete(segment);
        }
        // Storage has everything up to 6; the log is gone: the next sequence still goes above 6.
        WriteAheadLog third = open(1 << 20, 6);
        assertThat(third.append((byte) 1, payload("z"), null).get()).isEqualTo(7L);
    }

    @Test
    void open_deletesSegmentsStorageAlreadyHolds() throws Exception {
        WriteAheadLog wal = open(1024, 0);
        for (int i = 0; i < 6; i++) {
            wal.append((byte) 1, new byte[300], null).get();
        }
        wal.close();
        assertThat(segments()).hasSize(2);

        WriteAheadLog reopened = open(1024, 3);

        assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000004.wal");
        assertThat(readAll(reopened, 3)).extracting(WalRecord::sequence).containsExactly(4L, 5L, 6L);
    }

    @Test
    void append_afterClose_fails() throws Exception {
        WriteAheadLog wal = open(1 << 20, 0);
        wal.close();

        assertThat(wal.isWritable()).isFalse();
        assertThat(wal.append((byte) 1, payload("late"), null)).isCompletedExceptionally();
    }

    @Test
    void replay_doesNotSeeRecordsAppendedAfterOpen() throws Exception {
        WriteAheadLog wal = open(1024, 0);
        wal.append((byte) 1, payload("old"), null).get();
        wal.close();
        WriteAheadLog reopened = open(1024, 0);
        for (int i = 0; i < 5; i++) {
            reopened.append((byte) 1, new byte[400], null).get(); // rolls segments
        }

        assertThat(readAll(reopened, 0)).extracting(WalRecord::sequence).containsExactly(1L);
    }
}
