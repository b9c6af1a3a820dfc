package io.otelservices.ingest.prometheus;

import static io.otelservices.ingest.prometheus.WriteRequests.labels;
import static io.otelservices.ingest.prometheus.WriteRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {

    /** Each series as "labels|samples|exemplars|histograms". */
    private static List<String> series(byte[] request) throws InvalidProtocolBufferException {
        List<String> out = new ArrayList<>();
        new RemoteWriteDecoder(request, 0, request.length).readSeries(series -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < series.labelCount(); i++) {
                text.append(series.labelName(i)).append('=').append(series.labelValue(i)).append(',');
            }
            text.append('|');
            for (int i = 0; i < series.sampleCount(); i++) {
                text.append(series.timestampMillis(i)).append(':').append(series.value(i)).append(',');
            }
            text.append('|').append(series.exemplars().size()).append('|').append(series.histogramCount());
            out.add(text.toString());
        });
        return out;
    }

    @Test
    void readSeries_everyField_unknownFieldsSkipped() throws Exception {
        byte[] request = new WriteRequests()
                .series(labels("__name__", "up", "job", "a"), sample(1000, 1), sample(2000, 0.5))
                .unknownField(2, "cortex source")
                .series(labels("__name__", "b"), List.of(sample(-5, -1)), List.of(new WriteRequests.TestExemplar(
                        labels("trace_id", "x"), 2, 3)), 1)
                .toByteArray();

        assertThat(series(request)).containsExactly(
                "__name__=up,job=a,|1000:1.0,2000:0.5,|0|0",
                "__name__=b,|-5:-1.0,|1|1");
    }

    @Test
    void readMetadata_entries_seriesSkipped() throws Exception {
        byte[] request = new WriteRequests()
                .series(labels("__name__", "up"), sample(1, 1))
                .metadata(WriteRequests.COUNTER, "requests", "Requests.", "1")
                .metadata(42, "future", "", "")
                .toByteArray();
        List<String> entries = new ArrayList<>();

        new RemoteWriteDecoder(request, 0, request.length).readMetadata(
                (family, type, help, unit) -> entries.add(family + "/" + type + "/" + help + "/" + unit));

        assertThat(entries).containsExactly("requests/1/Requests./1", "future/42//");
    }

    @Test
    void readSeries_truncatedInsideAMessage_fails() throws Exception {
        byte[] request = new WriteRequests()
                .series(labels("__name__", "up", "job", "a"), sample(1000, 1))
                .metadata(WriteRequests.GAUGE, "up", "", "")
                .toByteArray();
        int firstSeriesEnd = 2 + request[1]; // tag, one-byte length, the series

        for (int length = 1; length < firstSeriesEnd; length++) {
            byte[] truncated = Arrays.copyOf(request, length);
            assertThatThrownBy(() -> series(truncated)).as("cut at %d", length)
                    .isInstanceOf(InvalidProtocolBufferException.class);
        }
        byte[] inMetadata = Arrays.copyOf(request, request.length - 3);
        assertThatThrownBy(() -> new RemoteWriteDecoder(inMetadata, 0, inMetadata.length)
                .readMetadata((family, type, help, unit) -> { }))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void readSeries_labelsAsThePreviousSeries_sameStringsReused() throws Exception {
        byte[] request = new WriteRequests()
                .series(labels("__name__", "up", "job", "api"), sample(1, 1))
                .series(labels("__name__", "up", "job", "web"), sample(1, 1))
                .toByteArray();
        List<String[]> labels = new ArrayList<>();

        new RemoteWriteDecoder(request, 0, request.length).readSeries(series -> labels.add(new String[] {
                series.labelName(0), series.labelValue(0), series.labelName(1), series.labelValue(1)}));

        assertThat(labels.get(1)[0]).isSameAs(labels.get(0)[0]);
        assertThat(labels.get(1)[1]).isSameAs(labels.get(0)[1]);
        assertThat(labels.get(1)[2]).isSameAs(labels.get(0)[2]);
        assertThat(labels.get(1)[3]).isEqualTo("web");
    }

    @Test
    void readSeries_invalidUtf8_nullLabelInsteadOfAFailure() throws Exception {
        byte[] request = new WriteRequests().series(List.of(
                WriteRequests.Label.of("__name__", "up"),
                new WriteRequests.Label("ok".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff}),
                WriteRequests.Label.of("city", "Zürich")), sample(1, 1)).toByteArray();

        assertThat(series(request)).containsExactly("__name__=up,ok=null,city=Zürich,|1:1.0,|0|0");
    }

    @Test
    void readSeries_notProtobuf_fails() {
        byte[] garbage = "this is not protobuf at all".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> series(garbage)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void utf8_asciiAndMultiByteAndInvalid() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8);

        assertThat(RemoteWriteDecoder.utf8(text, 0, text.length)).isEqualTo("aé€😀");
        assertThat(RemoteWriteDecoder.utf8(text, 0, 1)).isEqualTo("a");
        assertThat(RemoteWriteDecoder.utf8(text, 0, 2)).isNull(); // half of é
        assertThat(RemoteWriteDecoder.utf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, 0, 3)).isNull();
    }
}
