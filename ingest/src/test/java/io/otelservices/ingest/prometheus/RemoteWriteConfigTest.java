package io.otelservices.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteWriteConfigTest {

    @Test
    void defaults_pinned() {
        assertThat(RemoteWriteConfig.DEFAULT).isEqualTo(new RemoteWriteConfig(250_000, 50_000));
    }

    @Test
    void new_notPositive_armeriaStyleMessages() {
        assertThatThrownBy(() -> new RemoteWriteConfig(0, 1)).hasMessage("maxTrackedSeries: 0 (expected: > 0)");
        assertThatThrownBy(() -> new RemoteWriteConfig(1, -1)).hasMessage("maxMetricFamilies: -1 (expected: > 0)");
    }
}
