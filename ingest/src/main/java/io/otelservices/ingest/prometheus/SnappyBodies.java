package io.otelservices.ingest.prometheus;

import io.airlift.compress.snappy.SnappyDecompressor;

/**
 * Decompresses remote-write bodies: snappy's block format (remote write 1.0; not the framed stream format), with
 * the declared length checked against the limit before anything is allocated, so a small body cannot claim a huge
 * one.
 */
final class SnappyBodies {

    /** The stream identifier chunk that opens snappy's framed format ({@code 0xff 0x06 0x00 0x00 "sNaPpY"}). */
    private static final byte[] FRAMED_STREAM_IDENTIFIER =
            {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};

    private SnappyBodies() {}

    /**
     * The decompressed body; fails with {@link RemoteWriteException#tooLarge} when it declares more than
     * {@code maxBytes}, and with {@link RemoteWriteException#badData} when it is not snappy's block format.
     */
    static byte[] uncompress(byte[] compressed, long maxBytes) throws RemoteWriteException {
        if (compressed.length == 0) {
            throw RemoteWriteException.badData(
                    "empty body (expected: a snappy-compressed prometheus.WriteRequest)", null);
        }
        if (startsWithFramedIdentifier(compressed)) {
            throw RemoteWriteException.badData(
                    "invalid snappy body: the framed stream format (expected: snappy's block format)", null);
        }
        int length;
        try {
            length = SnappyDecompressor.getUncompressedLength(compressed, 0);
        } catch (RuntimeException e) {
            throw invalid(compressed, e);
        }
        if (length > maxBytes) {
            throw RemoteWriteException.tooLarge("request body of " + compressed.length + " bytes decompresses to "
                    + length + " bytes, more than the limit of " + maxBytes + " bytes");
        }
        byte[] uncompressed = new byte[length];
        try {
            int written = new SnappyDecompressor().decompress(compressed, 0, compressed.length, uncompressed, 0,
                    length);
            if (written != length) {
                throw RemoteWriteException.badData("invalid snappy body of " + compressed.length + " bytes: "
                        + written + " bytes decompressed, " + length + " declared", null);
            }
        } catch (RuntimeException e) {
            throw invalid(compressed, e);
        }
        return uncompressed;
    }

    private static RemoteWriteException invalid(byte[] compressed, RuntimeException cause) {
        return RemoteWriteException.badData(
                "invalid snappy body of " + compressed.length + " bytes: " + cause.getMessage(), cause);
    }

    private static boolean startsWithFramedIdentifier(byte[] body) {
        if (body.length < FRAMED_STREAM_IDENTIFIER.length) {
            return false;
        }
        for (int i = 0; i < FRAMED_STREAM_IDENTIFIER.length; i++) {
            if (body[i] != FRAMED_STREAM_IDENTIFIER[i]) {
                return false;
            }
        }
        return true;
    }
}
