package io.otelservices.storage.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DuckDbConfigTest {

    private static final Path DATA = Path.of("/var/lib/otelservices");

    @Test
    void of_dataDirectory_pinsDefaults() {
        DuckDbConfig config = DuckDbConfig.of(DATA);

        assertThat(config).isEqualTo(new DuckDbConfig(DATA, 2, 256, 4, 2, "1GB", BlockPolicy.DEFAULT));
        assertThat(config.databaseFile()).isEqualTo(Path.of("/var/lib/otelservices/duckdb/otel.duckdb"));
    }

    @Test
    void withers_changeOneSetting() {
        assertThat(DuckDbConfig.of(DATA).withMemoryLimit("512MiB").memoryLimit()).isEqualTo("512MiB");
        assertThat(DuckDbConfig.of(DATA).withReaderThreads(4).readerThreads()).isEqualTo(4);
    }

    @Test
    void new_invalidValues_rejectedWithExpectation() {
        assertThatThrownBy(() -> new DuckDbConfig(DATA, 0, 256, 4, 2, "1GB", BlockPolicy.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readerThreads: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new DuckDbConfig(DATA, 2, 0, 4, 2, "1GB", BlockPolicy.DEFAULT))
                .hasMessage("maxPendingReads: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new DuckDbConfig(DATA, 2, 256, -1, 2, "1GB", BlockPolicy.DEFAULT))
                .hasMessage("maxPendingWrites: -1 (expected: >= 1)");
        assertThatThrownBy(() -> new DuckDbConfig(DATA, 2, 256, 4, 0, "1GB", BlockPolicy.DEFAULT))
                .hasMessage("duckDbThreads: 0 (expected: >= 1)");
        assertThatThrownBy(() -> DuckDbConfig.of(DATA).withMemoryLimit("1GB'; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("memoryLimit: 1GB'; DROP");
        assertThatThrownBy(() -> DuckDbConfig.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("dataDirectory");
    }

    @Test
    void new_memoryLimitShapes_accepted() {
        for (String limit : new String[] {"1GB", "512MB", "2GiB", "1.5GB", "800 MB", "4096KB", "1TB", "100B"}) {
            assertThat(DuckDbConfig.of(DATA).withMemoryLimit(limit).memoryLimit()).isEqualTo(limit);
        }
    }
}
