package io.otelservices.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    @Test
    void defaults_arePinned() {
        IngestConfig config = IngestConfig.defaults(Path.of("wal"));

        assertThat(config.walDirectory()).isEqualTo(Path.of("wal"));
        assertThat(config.maxRequestBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.batchMaxItems()).isEqualTo(10_000);
        assertThat(config.batchMaxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.walSegmentBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.maxQueuedItems()).isEqualTo(200_000);
    }

    @Test
    void constructor_invalidValues_failWithArmeriaStyleMessages() {
        IngestConfig defaults = IngestConfig.defaults(Path.of("wal"));

        assertThatThrownBy(() -> defaults.withMaxRequestBytes(0))
                .hasMessage("maxRequestBytes: 0 (expected: > 0 and < 2 GiB)");
        assertThatThrownBy(() -> defaults.withBatch(0, Duration.ofSeconds(1)))
                .hasMessage("batchMaxItems: 0 (expected: > 0)");
        assertThatThrownBy(() -> defaults.withBatch(1, Duration.ZERO)).hasMessage("batchMaxDelay: PT0S (expected: > 0)");
        assertThatThrownBy(() -> defaults.withWalSegmentBytes(10)).hasMessage("walSegmentBytes: 10 (expected: >= 1024)");
        assertThatThrownBy(() -> defaults.withMaxQueuedItems(-1)).hasMessage("maxQueuedItems: -1 (expected: > 0)");
        assertThatThrownBy(() -> IngestConfig.defaults(null)).hasMessage("walDirectory");
    }
}
