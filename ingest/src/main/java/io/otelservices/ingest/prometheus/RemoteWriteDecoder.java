package io.otelservices.ingest.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code prometheus.WriteRequest} (prometheus/prompb {@code remote.proto}, {@code types.proto}) straight
 * from its protobuf bytes, without generated classes: one reused {@link DecodedSeries} per series, handed to a
 * consumer before the next is read, so a request of any size costs its strings and little else.
 *
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                  repeated Histogram histograms = 4; }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }            // milliseconds
 * Exemplar       { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * Unknown fields, and known fields sent with another wire type, are skipped, as generated code does. Native
 * histograms are only counted. Strings are checked for UTF-8 here so that a bad label rejects its series, not the
 * request. One instance per request; not thread-safe.
 */
final class RemoteWriteDecoder {

    private static final int WRITE_REQUEST_TIMESERIES = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int WRITE_REQUEST_METADATA = tag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int TIMESERIES_LABEL = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int TIMESERIES_SAMPLE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int TIMESERIES_EXEMPLAR = tag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int TIMESERIES_HISTOGRAM = tag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int LABEL_NAME = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int LABEL_VALUE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int SAMPLE_VALUE = tag(1, WireFormat.WIRETYPE_FIXED64);
    private static final int SAMPLE_TIMESTAMP = tag(2, WireFormat.WIRETYPE_VARINT);
    private static final int EXEMPLAR_LABEL = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int EXEMPLAR_VALUE = tag(2, WireFormat.WIRETYPE_FIXED64);
    private static final int EXEMPLAR_TIMESTAMP = tag(3, WireFormat.WIRETYPE_VARINT);
    private static final int METADATA_TYPE = tag(1, WireFormat.WIRETYPE_VARINT);
    private static final int METADATA_FAMILY_NAME = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int METADATA_HELP = tag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int METADATA_UNIT = tag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);

    /** Receives each series; {@code series} is reused once this returns. */
    interface SeriesConsumer {
        void accept(DecodedSeries series);
    }

    /** Receives each metadata entry; strings are {@code null} where not valid UTF-8. */
    interface MetadataConsumer {
        void accept(String familyName, int type, String help, String unit);
    }

    /** Reads one embedded message's fields, within the limit its length set. */
    private interface Part {
        void read() throws IOException;
    }

    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final DecodedSeries series = new DecodedSeries();
    private final List<String> exemplarLabels = new ArrayList<>(4); // name, value, name, ...
    // method references made once, not per message
    private final Part labelReader = this::readLabel;
    private final Part sampleReader = this::readSample;
    private final Part exemplarReader = this::readExemplar;
    private final Part exemplarLabelReader = this::readExemplarLabel;
    private CodedInputStream in;
    private MetadataConsumer metadataConsumer;
    private SeriesConsumer seriesConsumer;

    RemoteWriteDecoder(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /**
     * Reads every metadata entry, skipping the series (the first of two passes: a request's metadata then applies
     * to its own series, which come first on the wire).
     */
    void readMetadata(MetadataConsumer consumer) throws InvalidProtocolBufferException {
        metadataConsumer = consumer;
        readWriteRequest(WRITE_REQUEST_METADATA, this::readMetadataEntry);
    }

    /** Reads every series, in order, and hands each to {@code consumer}. */
    void readSeries(SeriesConsumer consumer) throws InvalidProtocolBufferException {
        seriesConsumer = consumer;
        readWriteRequest(WRITE_REQUEST_TIMESERIES, this::readTimeSeries);
    }

    /** Reads the request's fields of tag {@code wanted} with {@code part}, skipping the others. */
    private void readWriteRequest(int wanted, Part part) throws InvalidProtocolBufferException {
        in = CodedInputStream.newInstance(buffer, offset, length);
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == wanted) {
                    readEmbedded(part);
                } else {
                    skip(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private void readEmbedded(Part part) throws IOException {
        int oldLimit = in.pushLimit(in.readRawVarint32());
        part.read();
        in.popLimit(oldLimit);
    }

    private void readMetadataEntry() throws IOException {
        int type = 0;
        String familyName = "";
        String help = "";
        String unit = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == METADATA_TYPE) {
                type = in.readEnum();
            } else if (tag == METADATA_FAMILY_NAME) {
                familyName = readString(null);
            } else if (tag == METADATA_HELP) {
                help = readString(null);
            } else if (tag == METADATA_UNIT) {
                unit = readString(null);
            } else {
                skip(tag);
            }
        }
        metadataConsumer.accept(familyName, type, help, unit);
    }

    private void readTimeSeries() throws IOException {
        series.reset();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TIMESERIES_LABEL) {
                readEmbedded(labelReader);
            } else if (tag == TIMESERIES_SAMPLE) {
                readEmbedded(sampleReader);
            } else if (tag == TIMESERIES_EXEMPLAR) {
                readEmbedded(exemplarReader);
            } else if (tag == TIMESERIES_HISTOGRAM) {
                in.skipRawBytes(in.readRawVarint32());
                series.addHistogram();
            } else {
                skip(tag);
            }
        }
        seriesConsumer.accept(series);
    }

    private void readLabel() throws IOException {
        readLabelInto(false);
    }

    private void readExemplarLabel() throws IOException {
        readLabelInto(true);
    }

    /** Reads one label into the series, or into {@link #exemplarLabels}. */
    private void readLabelInto(boolean exemplar) throws IOException {
        int index = series.labelCount();
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == LABEL_NAME) {
                name = readString(exemplar ? null : series.previousName(index));
            } else if (tag == LABEL_VALUE) {
                value = readString(exemplar ? null : series.previousValue(index));
            } else {
                skip(tag);
            }
        }
        if (exemplar) {
            exemplarLabels.add(name);
            exemplarLabels.add(value);
        } else {
            series.addLabel(name, value);
        }
    }

    private void readSample() throws IOException {
        double value = 0;
        long timestamp = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == SAMPLE_VALUE) {
                value = in.readDouble();
            } else if (tag == SAMPLE_TIMESTAMP) {
                timestamp = in.readInt64();
            } else {
                skip(tag);
            }
        }
        series.addSample(timestamp, value);
    }

    private void readExemplar() throws IOException {
        exemplarLabels.clear();
        double value = 0;
        long timestamp = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == EXEMPLAR_LABEL) {
                readEmbedded(exemplarLabelReader);
            } else if (tag == EXEMPLAR_VALUE) {
                value = in.readDouble();
            } else if (tag == EXEMPLAR_TIMESTAMP) {
                timestamp = in.readInt64();
            } else {
                skip(tag);
            }
        }
        String[] names = new String[exemplarLabels.size() / 2];
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = exemplarLabels.get(2 * i);
            values[i] = exemplarLabels.get(2 * i + 1);
        }
        series.addExemplar(new DecodedSeries.Exemplar(names, values, value, timestamp));
    }

    /** Skips an unknown field; a stray end-group tag is malformed, as generated code finds it. */
    private void skip(int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("end-group tag without a group at byte "
                    + in.getTotalBytesRead());
        }
    }

    /**
     * A length-delimited string read straight from the buffer: {@code previous} when its bytes are the same (no new
     * string), and {@code null} when it is not valid UTF-8 (where generated code would fail the whole message).
     */
    private String readString(String previous) throws IOException {
        int size = in.readRawVarint32();
        int start = offset + in.getTotalBytesRead();
        in.skipRawBytes(size); // checks the size against what is left
        if (previous != null && sameAscii(previous, buffer, start, size)) {
            return previous;
        }
        return utf8(buffer, start, size);
    }

    /** Whether {@code text} is ASCII and its characters are {@code bytes[start, start + size)}. */
    private static boolean sameAscii(String text, byte[] bytes, int start, int size) {
        if (text.length() != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            byte b = bytes[start + i];
            if (b < 0 || text.charAt(i) != b) {
                return false;
            }
        }
        return true;
    }

    /** {@code bytes[start, start + size)} as a string, or {@code null} when it is not valid UTF-8. */
    static String utf8(byte[] bytes, int start, int size) {
        int end = start + size;
        for (int i = start; i < end; i++) {
            if (bytes[i] < 0) {
                return utf8NonAscii(bytes, start, size);
            }
        }
        // ASCII: Latin-1 decoding is a plain copy into a compact string
        return new String(bytes, start, size, StandardCharsets.ISO_8859_1);
    }

    private static String utf8NonAscii(byte[] bytes, int start, int size) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, size))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
