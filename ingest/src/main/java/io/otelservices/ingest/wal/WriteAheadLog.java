package io.otelservices.ingest.wal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.otelservices.ingest.logging.LogThrottle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log of opaque records in segment files (format: {@link WalFormat}), with group commit.
 *
 * <p>{@link #append} queues a record and returns at once. One writer thread takes every queued record, gives each
 * the next sequence number, writes them all, calls {@link FileChannel#force} once, and then, in sequence order,
 * runs each record's {@code onDurable} callback and completes its future. So a completed future means the record
 * is on disk, and callbacks see records in sequence order.
 *
 * <p>{@link #open} checks every segment's checksums, truncates a torn or corrupt tail (and logs it), and deletes
 * segments whose records are all at or below the durable sequence. Segments are rolled at the configured size and
 * deleted once {@link #markDurable} passes their last record. Sequence numbers never repeat, even when the
 * directory was emptied: the next one is {@code max(highest in the log, durable) + 1}.
 *
 * <p>Thread-safe.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final PendingAppend END_OF_APPENDS = new PendingAppend((byte) 0, new byte[0], null);

    private final Path directory;
    private final long segmentBytes;
    private final long firstNewSequence;
    private final Timer fsyncTimer;
    private final LinkedBlockingQueue<PendingAppend> pending = new LinkedBlockingQueue<>();
    private final Object appendLock = new Object();
    private final Object segmentsLock = new Object();
    private final List<SegmentInfo> closedSegments; // guarded by segmentsLock, ordered by sequence
    private final AtomicLong fsyncCount = new AtomicLong();
    private final AtomicLong durableSequence;
    private final AtomicLong totalBytes = new AtomicLong();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));
    private final Thread writerThread;

    private boolean accepting = true; // guarded by appendLock
    private volatile boolean failed;
    private volatile boolean closed;

    // Owned by the writer thread.
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private long nextSequence;
    private ActiveSegment active;
    private boolean directoryNeedsSync;

    private WriteAheadLog(Path directory, long segmentBytes, long nextSequence, long durableSequence,
            List<SegmentInfo> segments, MeterRegistry meters) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.nextSequence = nextSequence;
        this.firstNewSequence = nextSequence;
        this.durableSequence = new AtomicLong(durableSequence);
        this.closedSegments = new ArrayList<>(segments);
        segments.forEach(segment -> totalBytes.addAndGet(segment.bytes()));
        this.fsyncTimer = Timer.builder("otel.wal.fsync.duration")
                .description("Time of one write-ahead-log force to disk (one per group commit)")
                .publishPercentileHistogram()
                .register(meters);
        this.writerThread = new Thread(this::runWriter, "otel-wal-writer");
        this.writerThread.setDaemon(true);
    }

    /**
     * Opens the log in {@code directory} (created when absent), checking and repairing its segments.
     *
     * @param segmentBytes size at which a segment is rolled
     * @param durableSequence the highest sequence storage already holds; older segments are deleted and new
     *     sequence numbers start above it
     * @param meters where {@code otel.wal.fsync.duration} is registered
     * @throws IOException when the directory cannot be read, or holds a segment of an unknown format
     */
    public static WriteAheadLog open(Path directory, long segmentBytes, long durableSequence, MeterRegistry meters)
            throws IOException {
        requireNonNull(directory, "directory");
        requireNonNull(meters, "meters");
        if (segmentBytes <= WalFormat.HEADER_BYTES) {
            throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: > "
                    + WalFormat.HEADER_BYTES + ")");
        }
        if (durableSequence < 0) {
            throw new IllegalArgumentException("durableSequence: " + durableSequence + " (expected: >= 0)");
        }
        Files.createDirectories(directory);
        List<SegmentInfo> segments = new ArrayList<>();
        long lastSequence = 0;
        for (Path file : listSegmentFiles(directory)) {
            SegmentInfo info = checkSegment(file, lastSequence);
            if (info != null) {
                segments.add(info);
                lastSequence = info.lastSequence;
            }
        }
        long next = Math.max(lastSequence, durableSequence) + 1;
        WriteAheadLog wal = new WriteAheadLog(directory, segmentBytes, next, durableSequence, segments, meters);
        wal.deleteDurableSegments();
        wal.writerThread.start();
        log.atInfo()
                .addKeyValue("directory", directory)
                .addKeyValue("segments", segments.size())
                .addKeyValue("durableSequence", durableSequence)
                .addKeyValue("nextSequence", next)
                .log("write-ahead log opened");
        return wal;
    }

    private static List<Path> listSegmentFiles(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + WalFormat.SUFFIX)) {
            for (Path file : stream) {
                if (WalFormat.parseSegmentFileName(file.getFileName().toString()) >= 0) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparingLong(f -> WalFormat.parseSegmentFileName(f.getFileName().toString())));
        return files;
    }

    /** Reads a segment through, truncating it after its last good record; null when it holds no record. */
    private static SegmentInfo checkSegment(Path file, long previousSequence) throws IOException {
        long firstSequence;
        long lastSequence = -1;
        long records = 0;
        SegmentReader.End end;
        String detail;
        long validEnd;
        long fileSize;
        try (SegmentReader reader = SegmentReader.open(file, previousSequence)) {
            if (reader == null) {
                log.atWarn().addKeyValue("segment", file)
                        .log("write-ahead-log segment shorter than its header (creation cut short); deleting it");
                Files.delete(file);
                return null;
            }
            firstSequence = reader.firstSequence();
            WalRecord record;
            while ((record = reader.next()) != null) {
                lastSequence = record.sequence();
                records++;
            }
            end = reader.end();
            detail = reader.endDetail();
            validEnd = reader.validEnd();
            fileSize = reader.fileSize();
        }
        if (end != SegmentReader.End.CLEAN) {
            log.atWarn()
                    .addKeyValue("segment", file)
                    .addKeyValue("problem", end)
                    .addKeyValue("detail", detail)
                    .addKeyValue("validBytes", validEnd)
                    .addKeyValue("droppedBytes", fileSize - validEnd)
                    .addKeyValue("goodRecords", records)
                    .log("write-ahead-log segment has a bad tail; truncating it after the last good record");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(validEnd);
                channel.force(true);
            }
        }
        if (records == 0) {
            Files.delete(file);
            return null;
        }
        return new SegmentInfo(file, firstSequence, lastSequence, validEnd);
    }

    /**
     * Queues a record. The future completes with the record's sequence number once it is on disk, or
     * exceptionally with an {@link IOException} (wrapped) when it could not be written or the log is closed.
     *
     * @param onDurable called with the sequence number on the writer thread, in sequence order, after the record
     *     is on disk and before the future completes; must be quick and must not throw; may be {@code null}
     */
    public CompletableFuture<Long> append(byte type, byte[] payload, LongConsumer onDurable) {
        requireNonNull(payload, "payload");
        PendingAppend append = new PendingAppend(type, payload, onDurable);
        synchronized (appendLock) {
            if (!accepting) {
                return CompletableFuture.failedFuture(new IOException("write-ahead log is closed"));
            }
            if (failed) {
                return CompletableFuture.failedFuture(
                        new IOException("write-ahead log failed earlier and refuses writes until restart"));
            }
            pending.add(append);
        }
        return append.future;
    }

    /**
     * Calls {@code visitor} for every record with a sequence above {@code afterSequence} that was in the log when
     * it was opened, in sequence order. Call before serving new appends' data (records appended after open are not
     * visited).
     */
    public void replay(long afterSequence, RecordVisitor visitor) throws IOException {
        List<SegmentInfo> segments;
        synchronized (segmentsLock) {
            segments = new ArrayList<>(closedSegments);
        }
        long previous = 0;
        for (SegmentInfo segment : segments) {
            if (segment.firstSequence >= firstNewSequence) {
                break;
            }
            if (segment.lastSequence <= afterSequence) {
                previous = segment.lastSequence;
                continue;
            }
            try (SegmentReader reader = SegmentReader.open(segment.path, previous)) {
                if (reader == null) {
                    continue;
                }
                WalRecord record;
                while ((record = reader.next()) != null && record.sequence() <= segment.lastSequence) {
                    if (record.sequence() > afterSequence) {
                        visitor.visit(record);
                    }
                }
            }
            previous = segment.lastSequence;
        }
    }

    /**
     * Calls {@code visitor} for every record with a sequence in {@code first..last}, in sequence order, reading the
     * segment files (the one being written included). For records already acknowledged (on disk), such as those of a
     * batch that storage could not take and that is retried later; records at or below the durable sequence may be
     * gone.
     */
    public void read(long first, long last, RecordVisitor visitor) throws IOException {
        List<SegmentInfo> segments = new ArrayList<>();
        synchronized (segmentsLock) {
            segments.addAll(closedSegments);
            if (active != null) {
                segments.add(new SegmentInfo(active.path, active.firstSequence, Long.MAX_VALUE, 0));
            }
        }
        segments.sort(Comparator.comparingLong(SegmentInfo::firstSequence));
        for (int i = 0; i < segments.size(); i++) {
            SegmentInfo segment = segments.get(i);
            long segmentLast = i + 1 < segments.size()
                    ? Math.min(segment.lastSequence, segments.get(i + 1).firstSequence - 1)
                    : segment.lastSequence;
            if (segmentLast < first || segment.firstSequence > last) {
                continue;
            }
            try (SegmentReader reader = SegmentReader.open(segment.path, segment.firstSequence - 1)) {
                if (reader == null) {
                    continue;
                }
                WalRecord record;
                while ((record = reader.next()) != null && record.sequence() <= last) {
                    if (record.sequence() >= first) {
                        visitor.visit(record);
                    }
                }
            }
        }
    }

    /** Bytes of every segment file kept, the one being written included. */
    public long sizeBytes() {
        return totalBytes.get();
    }

    /**
     * Tells the log that storage holds every record up to {@code sequence}; segments whose records are all at or
     * below it (and that are no longer written) are deleted.
     */
    public void markDurable(long sequence) {
        durableSequence.accumulateAndGet(sequence, Math::max);
        deleteDurableSegments();
    }

    private void deleteDurableSegments() {
        long durable = durableSequence.get();
        synchronized (segmentsLock) {
            while (!closedSegments.isEmpty() && closedSegments.get(0).lastSequence <= durable) {
                SegmentInfo segment = closedSegments.get(0);
                try {
                    Files.deleteIfExists(segment.path);
                    closedSegments.remove(0);
                    totalBytes.addAndGet(-segment.bytes());
                    log.atDebug().addKeyValue("segment", segment.path).log("deleted durable write-ahead-log segment");
                } catch (IOException e) {
                    long suppressed = failureLog.tryAcquire();
                    if (suppressed >= 0) {
                        log.atWarn().setCause(e).addKeyValue("segment", segment.path)
                                .addKeyValue("suppressed", suppressed)
                                .log("cannot delete write-ahead-log segment; will try again");
                    }
                    return;
                }
            }
        }
    }

    /** Whether the log accepts appends and its writer thread runs. */
    public boolean isWritable() {
        synchronized (appendLock) {
            return accepting && !failed && writerThread.isAlive();
        }
    }

    /** The sequence number the next append will get (at the time of the call; for diagnostics and tests). */
    public long nextSequence() {
        synchronized (appendLock) {
            return nextSequence;
        }
    }

    /** How many times the log forced data to disk since it was opened. */
    public long fsyncCount() {
        return fsyncCount.get();
    }

    /** Number of segment files currently kept, including the one being written. */
    public int segmentCount() {
        synchronized (segmentsLock) {
            return closedSegments.size() + (active != null ? 1 : 0);
        }
    }

    /**
     * Stops taking appends and waits until every record already queued is on disk and its future completed.
     * Later appends fail. Idempotent.
     */
    public void closeAppends() {
        synchronized (appendLock) {
            if (accepting) {
                accepting = false;
                pending.add(END_OF_APPENDS);
            }
        }
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flushes queued appends, closes the current segment and deletes what is durable. Idempotent. */
    @Override
    public void close() {
        closeAppends();
        if (closed) {
            return;
        }
        closed = true;
        deleteDurableSegments();
        log.atInfo().addKeyValue("directory", directory).addKeyValue("nextSequence", nextSequence)
                .log("write-ahead log closed");
    }

    // ---------------------------------------------------------------- writer thread

    private void runWriter() {
        List<PendingAppend> group = new ArrayList<>();
        boolean running = true;
        while (running) {
            try {
                PendingAppend first = pending.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                pending.drainTo(group);
                int last = group.size() - 1;
                if (group.get(last) == END_OF_APPENDS) {
                    // Added under appendLock after every accepted append, so it is always last.
                    group.remove(last);
                    running = false;
                }
                if (!group.isEmpty()) {
                    commit(group);
                }
            } catch (InterruptedException e) {
                // Only close() ends this thread, by END_OF_APPENDS.
            } catch (Throwable t) {
                fail(group, t);
            } finally {
                group.clear();
            }
        }
        closeActiveSegment();
    }

    private void commit(List<PendingAppend> group) {
        if (failed) {
            fail(group, new IOException("write-ahead log failed earlier and refuses writes until restart"));
            return;
        }
        try {
            for (PendingAppend append : group) {
                int recordBytes = WalFormat.RECORD_OVERHEAD_BYTES + append.payload.length;
                prepareSegmentFor(recordBytes);
                long sequence;
                synchronized (appendLock) {
                    sequence = nextSequence++;
                }
                ensureBufferRoom(recordBytes);
                WalFormat.writeRecord(buffer, crc, append.type, sequence, append.payload);
                append.sequence = sequence;
                active.size += recordBytes;
                totalBytes.addAndGet(recordBytes);
                active.lastSequence = sequence;
            }
            flushBuffer();
            force(active.channel);
            active.markSynced();
            if (directoryNeedsSync) {
                forceDirectory();
                directoryNeedsSync = false;
            }
        } catch (IOException | RuntimeException e) {
            recoverAfterWriteFailure(e);
            fail(group, e);
            return;
        }
        for (PendingAppend append : group) {
            if (append.onDurable != null) {
                try {
                    append.onDurable.accept(append.sequence);
                } catch (RuntimeException e) {
                    log.atError().setCause(e).addKeyValue("sequence", append.sequence)
                            .log("write-ahead-log durability callback failed");
                }
            }
            append.future.complete(append.sequence);
        }
        failureLog.reset();
    }

    /** Makes sure there is an active segment with room for a record (rolling when full). */
    private void prepareSegmentFor(int recordBytes) throws IOException {
        if (active != null && active.hasRecords() && active.size + recordBytes > segmentBytes) {
            flushBuffer();
            force(active.channel);
            active.markSynced();
            SegmentInfo rolled = new SegmentInfo(active.path, active.firstSequence, active.lastSequence, active.size);
            active.channel.close();
            synchronized (segmentsLock) {
                closedSegments.add(rolled);
                active = null;
            }
            deleteDurableSegments();
        }
        if (active == null) {
            long first;
            synchronized (appendLock) {
                first = nextSequence;
            }
            Path path = directory.resolve(WalFormat.segmentFileName(first));
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ActiveSegment segment = new ActiveSegment(path, channel, first);
            ByteBuffer header = ByteBuffer.allocate(WalFormat.HEADER_BYTES);
            WalFormat.writeHeader(header, first);
            header.flip();
            while (header.hasRemaining()) {
                channel.write(header);
            }
            segment.size = WalFormat.HEADER_BYTES;
            totalBytes.addAndGet(WalFormat.HEADER_BYTES);
            synchronized (segmentsLock) {
                active = segment;
            }
            directoryNeedsSync = true;
        }
    }

    private void ensureBufferRoom(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        flushBuffer();
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes);
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            active.channel.write(buffer);
        }
        buffer.clear();
    }

    private void force(FileChannel channel) throws IOException {
        long start = System.nanoTime();
        channel.force(false);
        fsyncTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        fsyncCount.incrementAndGet();
    }

    private void forceDirectory() {
        // A new segment's directory entry must reach the disk too; not every platform can open a directory.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.atDebug().setCause(e).log("cannot force the write-ahead-log directory");
        }
    }

    /**
     * After a failed write the end of the current segment is unknown: cut it back to what was last forced and
     * close it, so the next group starts a new segment. When even that fails, refuse writes until restart.
     */
    private void recoverAfterWriteFailure(Exception cause) {
        buffer.clear();
        if (active == null) {
            return;
        }
        ActiveSegment segment = active;
        try {
            segment.channel.truncate(segment.syncedSize);
            segment.channel.force(true);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            failed = true;
            log.atError().setCause(cause).addKeyValue("segment", segment.path)
                    .log("write-ahead log cannot write nor repair its segment; refusing writes until restart");
        }
        try {
            segment.channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        synchronized (segmentsLock) {
            if (segment.syncedLastSequence >= 0) {
                closedSegments.add(new SegmentInfo(segment.path, segment.firstSequence, segment.syncedLastSequence,
                        segment.syncedSize));
                totalBytes.addAndGet(segment.syncedSize - segment.size);
            } else {
                try {
                    totalBytes.addAndGet(-segment.size);
                    Files.deleteIfExists(segment.path);
                } catch (IOException e) {
                    cause.addSuppressed(e);
                }
            }
            active = null;
        }
    }

    private void fail(List<PendingAppend> group, Throwable cause) {
        long suppressed = failureLog.tryAcquire();
        if (suppressed >= 0) {
            log.atError().setCause(cause).addKeyValue("records", group.size()).addKeyValue("suppressed", suppressed)
                    .log("write-ahead-log append failed");
        }
        IOException error = cause instanceof IOException io ? io : new IOException("write-ahead-log append failed", cause);
        for (PendingAppend append : group) {
            append.future.completeExceptionally(error);
        }
    }

    private void closeActiveSegment() {
        ActiveSegment segment;
        synchronized (segmentsLock) {
            segment = active;
            if (segment == null) {
                return;
            }
            active = null;
            closedSegments.add(new SegmentInfo(segment.path, segment.firstSequence, segment.lastSequence,
                    segment.size));
        }
        try {
            segment.channel.close();
        } catch (IOException e) {
            log.atWarn().setCause(e).addKeyValue("segment", segment.path).log("cannot close write-ahead-log segment");
        }
    }

    /** Visits records during {@link #replay}. */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(WalRecord record) throws IOException;
    }

    private static final class PendingAppend {
        final byte type;
        final byte[] payload;
        final LongConsumer onDurable;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        long sequence;

        PendingAppend(byte type, byte[] payload, LongConsumer onDurable) {
            this.type = type;
            this.payload = payload;
            this.onDurable = onDurable;
        }
    }

    private record SegmentInfo(Path path, long firstSequence, long lastSequence, long bytes) {}

    private static final class ActiveSegment {
        final Path path;
        final FileChannel channel;
        final long firstSequence;
        long lastSequence = -1;
        long syncedLastSequence = -1;
        long size;
        long syncedSize;

        ActiveSegment(Path path, FileChannel channel, long firstSequence) {
            this.path = path;
            this.channel = channel;
            this.firstSequence = firstSequence;
        }

        boolean hasRecords() {
            return lastSequence >= 0;
        }

        void markSynced() {
            syncedSize = size;
            syncedLastSequence = lastSequence;
        }
    }
}
