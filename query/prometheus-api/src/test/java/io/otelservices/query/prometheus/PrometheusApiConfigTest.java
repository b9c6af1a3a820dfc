package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.query.promql.EngineOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusApiConfigTest {

    @Test
    void defaults_pinned() {
        PrometheusApiConfig config = PrometheusApiConfig.DEFAULT;

        assertThat(config.engine()).isEqualTo(EngineOptions.DEFAULT);
        assertThat(config.engine().lookbackDelta()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.engine().timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.engine().maxSamples()).isEqualTo(50_000_000);
        assertThat(config.maxSeries()).isEqualTo(100_000);
        assertThat(config.catalogTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.metadataLookback()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void constructor_badValues_armeriaStyleMessages() {
        assertThatThrownBy(() -> PrometheusApiConfig.DEFAULT.withMaxSeries(0))
                .hasMessage("maxSeries: 0 (expected: > 0)");
        assertThatThrownBy(() -> new PrometheusApiConfig(EngineOptions.DEFAULT, 1, Duration.ofSeconds(-1),
                Duration.ofDays(1))).hasMessage("catalogTtl: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> new PrometheusApiConfig(EngineOptions.DEFAULT, 1, Duration.ZERO, Duration.ZERO))
                .hasMessage("metadataLookback: PT0S (expected: > 0)");
    }
}
