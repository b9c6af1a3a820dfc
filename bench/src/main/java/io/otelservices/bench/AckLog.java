package io.otelservices.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code -ack-log} file: one JSON line per acknowledged request, written when the acknowledgement arrives, e.g.
 * {@code {"signal":"traces","items":530,"attempts":1,"trace_ids":{"5b8efff798038103d269b633813fc60c":12,...}}}
 * (trace id to the number of its spans in that request; every trace lies whole in one request). A kill test sums
 * these and checks that the store holds every listed trace with exactly that many spans. Thread-safe.
 */
final class AckLog implements AutoCloseable {

    private final BufferedWriter writer;

    AckLog(Path path) {
        try {
            writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open ack log " + path, e);
        }
    }

    void acknowledged(GeneratedRequest request, long salt, int attempts) {
        StringBuilder line = new StringBuilder(64 + request.traceHighs().length * 40)
                .append("{\"signal\":\"").append(request.signal().flagName()).append("\",\"items\":")
                .append(request.items()).append(",\"attempts\":").append(attempts);
        if (request.traceHighs().length > 0) {
            line.append(",\"trace_ids\":{");
            request.appendTraceIds(line, salt);
            line.append('}');
        }
        line.append("}\n");
        synchronized (this) {
            try {
                writer.write(line.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write ack log", e);
            }
        }
    }

    synchronized void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush ack log", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close ack log", e);
        }
    }
}
