package io.otelservices.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnappyBodiesTest {

    private static final byte[] TEXT = "remote write, remote write, remote write".getBytes(StandardCharsets.UTF_8);

    @Test
    void uncompress_blockFormat_originalBytes() throws Exception {
        assertThat(SnappyBodies.uncompress(WriteRequests.snappy(TEXT), 1024)).isEqualTo(TEXT);
    }

    @Test
    void uncompress_notSnappyOrTruncatedOrEmptyOrFramed_badData() {
        byte[] compressed = WriteRequests.snappy(TEXT);
        byte[] framed = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y', 0, 0};

        for (byte[] body : new byte[][] {"plain".getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(compressed, compressed.length - 2), new byte[0], framed, {(byte) 0x80}}) {
            assertThatThrownBy(() -> SnappyBodies.uncompress(body, 1024))
                    .isInstanceOf(RemoteWriteException.class)
                    .satisfies(e -> assertThat(((RemoteWriteException) e).status())
                            .isEqualTo(HttpStatus.BAD_REQUEST));
        }
        assertThatThrownBy(() -> SnappyBodies.uncompress(framed, 1024)).hasMessageContaining("framed");
    }

    @Test
    void uncompress_declaresMoreThanTheLimit_tooLargeBeforeDecompressing() {
        byte[] zeros = WriteRequests.snappy(new byte[100_000]);

        assertThatThrownBy(() -> SnappyBodies.uncompress(zeros, 99_999))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessage("request body of " + zeros.length + " bytes decompresses to 100000 bytes, more than the "
                        + "limit of 99999 bytes")
                .satisfies(e -> assertThat(((RemoteWriteException) e).status())
                        .isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE));
    }
}
