package io.otelservices.ingest.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of write-ahead-log segments, version 1. All integers are big-endian.
 *
 * <pre>
 * segment := header record*
 * header  := magic "OTSWAL" (6 bytes) | format version u16 (= 1) | first sequence u64          (16 bytes)
 * record  := length u32 | crc32c u32 | type u8 | sequence u64 | payload (length - 9 bytes)
 *            length counts the bytes after the crc; the crc32c covers type, sequence and payload
 * </pre>
 *
 * <p>A segment file is named after its first sequence number, zero-padded to 20 digits, with the suffix
 * {@code .wal}. Sequence numbers strictly increase through a segment and from one segment to the next. A later
 * format gets a new version number and a reader of its own next to this one; a reader refuses versions it does
 * not know.
 */
final class WalFormat {

    static final byte[] MAGIC = "OTSWAL".getBytes(StandardCharsets.US_ASCII);
    static final short VERSION_1 = 1;
    static final int HEADER_BYTES = 16;
    /** length + crc. */
    static final int RECORD_PREFIX_BYTES = 8;
    /** type + sequence. */
    static final int RECORD_FIXED_BODY_BYTES = 9;
    static final int RECORD_OVERHEAD_BYTES = RECORD_PREFIX_BYTES + RECORD_FIXED_BODY_BYTES;
    /** Records larger than this are treated as corruption when reading (a torn length field). */
    static final int MAX_RECORD_BODY_BYTES = Integer.MAX_VALUE - 64;
    static final String SUFFIX = ".wal";

    private WalFormat() {}

    static String segmentFileName(long firstSequence) {
        String digits = Long.toString(firstSequence);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits + SUFFIX;
    }

    /** The first sequence a segment file name stands for, or -1 when the name is not a segment's. */
    static long parseSegmentFileName(String name) {
        if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < 20; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }

    static void writeHeader(ByteBuffer out, long firstSequence) {
        out.put(MAGIC);
        out.putShort(VERSION_1);
        out.putLong(firstSequence);
    }

    /** Encodes one record into {@code out}, which must have {@link #RECORD_OVERHEAD_BYTES} + payload room. */
    static void writeRecord(ByteBuffer out, CRC32C crc, byte type, long sequence, byte[] payload) {
        int bodyLength = RECORD_FIXED_BODY_BYTES + payload.length;
        int start = out.position();
        out.putInt(bodyLength);
        out.putInt(0); // crc, filled below
        int bodyStart = out.position();
        out.put(type);
        out.putLong(sequence);
        out.put(payload);
        crc.reset();
        crc.update(out.duplicate().position(bodyStart).limit(out.position()));
        out.putInt(start + 4, (int) crc.getValue());
    }
}
