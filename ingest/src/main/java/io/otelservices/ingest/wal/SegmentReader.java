package io.otelservices.ingest.wal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order and stops at the first one that is torn or fails its checksum,
 * remembering where the last good record ended ({@link #validEnd()}). Not thread-safe.
 */
final class SegmentReader implements Closeable {

    /** Why reading stopped. */
    enum End {
        /** The file ended exactly after a record. */
        CLEAN,
        /** The file ended inside a record (a write cut short by a crash). */
        TORN,
        /** A record failed its checksum, or its fields make no sense. */
        CORRUPT
    }

    private final Path path;
    private final FileChannel channel;
    private final DataInputStream in;
    private final long fileSize;
    private final long firstSequence;
    private final CRC32C crc = new CRC32C();
    private long position;
    private long previousSequence;
    private End end;
    private String endDetail = "";

    private SegmentReader(Path path, FileChannel channel, long fileSize, long firstSequence, long afterSequence) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.firstSequence = firstSequence;
        InputStream raw = Channels.newInputStream(channel);
        this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        this.position = WalFormat.HEADER_BYTES;
        this.previousSequence = afterSequence;
    }

    /**
     * Opens a segment and checks its header. Returns {@code null} when the file is shorter than a header (a segment
     * whose creation was cut short).
     *
     * @param previousSequence the last sequence of the previous segment; records must come after it
     * @throws IOException when the file is not a segment or has a format version this reader does not know
     */
    static SegmentReader open(Path path, long previousSequence) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < WalFormat.HEADER_BYTES) {
                channel.close();
                return null;
            }
            ByteBuffer header = ByteBuffer.allocate(WalFormat.HEADER_BYTES);
            while (header.hasRemaining()) {
                if (channel.read(header) < 0) {
                    throw new EOFException("segment header of " + path);
                }
            }
            header.flip();
            byte[] magic = new byte[WalFormat.MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, WalFormat.MAGIC)) {
                throw new IOException("not a write-ahead-log segment (bad magic): " + path);
            }
            short version = header.getShort();
            if (version != WalFormat.VERSION_1) {
                throw new IOException("unsupported write-ahead-log format version " + version + " in " + path
                        + " (expected: " + WalFormat.VERSION_1 + ")");
            }
            long firstSequence = header.getLong();
            return new SegmentReader(path, channel, size, firstSequence, previousSequence);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long firstSequence() {
        return firstSequence;
    }

    /** The next good record, or {@code null} at the end of the good records (see {@link #end()}). */
    WalRecord next() throws IOException {
        if (end != null) {
            return null;
        }
        long remaining = fileSize - position;
        if (remaining == 0) {
            return stop(End.CLEAN, "");
        }
        if (remaining < WalFormat.RECORD_OVERHEAD_BYTES) {
            return stop(End.TORN, remaining + " bytes after the last record");
        }
        int bodyLength = in.readInt();
        int expectedCrc = in.readInt();
        if (bodyLength < WalFormat.RECORD_FIXED_BODY_BYTES || bodyLength > WalFormat.MAX_RECORD_BODY_BYTES) {
            return stop(End.CORRUPT, "record length " + bodyLength);
        }
        if (bodyLength > remaining - WalFormat.RECORD_PREFIX_BYTES) {
            return stop(End.TORN, "record of " + bodyLength + " bytes, " + (remaining - 8) + " left in the file");
        }
        byte[] body = new byte[bodyLength];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            return stop(End.TORN, "file shorter than it was when opened");
        }
        crc.reset();
        crc.update(body, 0, bodyLength);
        if ((int) crc.getValue() != expectedCrc) {
            return stop(End.CORRUPT, "checksum mismatch");
        }
        ByteBuffer fields = ByteBuffer.wrap(body);
        byte type = fields.get();
        long sequence = fields.getLong();
        if (sequence <= previousSequence || sequence < firstSequence) {
            return stop(End.CORRUPT, "sequence " + sequence + " after " + previousSequence);
        }
        previousSequence = sequence;
        position += WalFormat.RECORD_PREFIX_BYTES + bodyLength;
        byte[] payload = Arrays.copyOfRange(body, WalFormat.RECORD_FIXED_BODY_BYTES, bodyLength);
        return new WalRecord(type, sequence, payload);
    }

    private WalRecord stop(End why, String detail) {
        end = why;
        endDetail = detail;
        return null;
    }

    /** Why reading stopped; {@code null} while records remain. */
    End end() {
        return end;
    }

    String endDetail() {
        return endDetail;
    }

    /** The file offset just after the last good record. */
    long validEnd() {
        return position;
    }

    long fileSize() {
        return fileSize;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
