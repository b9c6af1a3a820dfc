package io.otelservices.ingest.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Decompresses gzip request bodies with a cap on the output, so that a small body cannot expand without bound. */
final class GzipBodies {

    private GzipBodies() {}

    /**
     * The decompressed body; fails with {@link OtlpRequestException.Kind#TOO_LARGE} as soon as the output passes
     * {@code maxBytes}, and with {@link OtlpRequestException.Kind#BAD_DATA} when {@code compressed} is not gzip.
     */
    static byte[] gunzip(byte[] compressed, long maxBytes) throws OtlpRequestException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(
                    (int) Math.min(maxBytes, Math.max(1024L, compressed.length * 4L)));
            byte[] chunk = new byte[16384];
            long total = 0;
            int read;
            while ((read = in.read(chunk)) > 0) {
                total += read;
                if (total > maxBytes) {
                    throw new OtlpRequestException(OtlpRequestException.Kind.TOO_LARGE,
                            "request body larger than " + maxBytes + " bytes after gzip decompression");
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new OtlpRequestException(OtlpRequestException.Kind.BAD_DATA,
                    "invalid gzip body: it ends before the compressed data does", e);
        } catch (IOException e) {
            throw new OtlpRequestException(OtlpRequestException.Kind.BAD_DATA,
                    "invalid gzip body: " + e.getMessage(), e);
        }
    }
}
