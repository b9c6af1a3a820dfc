package io.otelservices.ingest.prometheus;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@code prometheus.WriteRequest} protobuf bytes by hand, field by field, as Prometheus' sender writes them
 * (and, where a test needs it, as no sender should), and compresses them with snappy's block format.
 */
final class WriteRequests {

    /** {@code prometheus.MetricMetadata.MetricType} numbers. */
    static final int UNKNOWN = 0;
    static final int COUNTER = 1;
    static final int GAUGE = 2;
    static final int HISTOGRAM = 3;
    static final int SUMMARY = 5;

    /** A label whose name or value may be raw bytes (for invalid UTF-8). */
    record Label(byte[] name, byte[] value) {
        static Label of(String name, String value) {
            return new Label(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Sample(long timestampMillis, double value) {}

    record TestExemplar(List<Label> labels, double value, long timestampMillis) {}

    private final List<byte[]> series = new ArrayList<>();
    private final List<byte[]> metadata = new ArrayList<>();
    private final List<byte[]> unknownFields = new ArrayList<>();

    /** Labels from name/value pairs. */
    static List<Label> labels(String... pairs) {
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.add(Label.of(pairs[i], pairs[i + 1]));
        }
        return labels;
    }

    static Sample sample(long timestampMillis, double value) {
        return new Sample(timestampMillis, value);
    }

    WriteRequests series(List<Label> labels, Sample... samples) {
        return series(labels, Arrays.asList(samples), List.of(), 0);
    }

    WriteRequests series(List<Label> labels, List<Sample> samples, List<TestExemplar> exemplars, int histograms) {
        series.add(message(out -> {
            for (Label label : labels) {
                out.writeByteArray(1, label(label));
            }
            for (Sample sample : samples) {
                out.writeByteArray(2, message(s -> {
                    s.writeDouble(1, sample.value());
                    s.writeInt64(2, sample.timestampMillis());
                }));
            }
            for (TestExemplar exemplar : exemplars) {
                out.writeByteArray(3, message(e -> {
                    for (Label label : exemplar.labels()) {
                        e.writeByteArray(1, label(label));
                    }
                    e.writeDouble(2, exemplar.value());
                    e.writeInt64(3, exemplar.timestampMillis());
                }));
            }
            for (int i = 0; i < histograms; i++) {
                // a native histogram: count_int = 1, sum = 2.5, timestamp = 1000
                out.writeByteArray(4, message(h -> {
                    h.writeUInt64(1, 1);
                    h.writeDouble(3, 2.5);
                    h.writeInt64(15, 1000);
                }));
            }
            // fields of a later version that this receiver must skip
            out.writeString(99, "future");
        }));
        return this;
    }

    WriteRequests metadata(int type, String familyName, String help, String unit) {
        metadata.add(message(out -> {
            out.writeEnum(1, type);
            out.writeString(2, familyName);
            out.writeString(4, help);
            out.writeString(5, unit);
        }));
        return this;
    }

    /** Adds a field the receiver does not know (a later version's), which it must skip. */
    WriteRequests unknownField(int field, String value) {
        unknownFields.add(message(out -> out.writeString(field, value)));
        return this;
    }

    byte[] toByteArray() {
        return message(out -> {
            for (byte[] s : series) {
                out.writeByteArray(1, s);
            }
            for (byte[] unknown : unknownFields) {
                out.writeRawBytes(unknown);
            }
            for (byte[] m : metadata) {
                out.writeByteArray(3, m);
            }
        });
    }

    /** The request snappy-compressed, as a remote-write body. */
    byte[] body() {
        return snappy(toByteArray());
    }

    static byte[] snappy(byte[] data) {
        SnappyCompressor compressor = new SnappyCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(data.length)];
        int length = compressor.compress(data, 0, data.length, out, 0, out.length);
        return Arrays.copyOf(out, length);
    }

    private static byte[] label(Label label) {
        return message(out -> {
            out.writeByteArray(1, label.name());
            out.writeByteArray(2, label.value());
        });
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
