package io.otelservices.storage.contract;

import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Nested;

/**
 * Runs the contract suite against the reference backend. It lives here rather than in {@code storage/spi} because
 * this module depends on the SPI, not the other way round.
 */
class InMemoryStorageTest {

    @Nested
    class SpanStore extends SpanStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return new InMemoryStorage();
        }
    }

    @Nested
    class LogStore extends LogStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return new InMemoryStorage();
        }
    }

    @Nested
    class SeriesStore extends SeriesStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return new InMemoryStorage();
        }
    }

    @Nested
    class DependencyStore extends DependencyStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return new InMemoryStorage();
        }
    }

    @Nested
    class Writer extends WriterContract {
        @Override
        protected StorageBackend newBackend() {
            return new InMemoryStorage();
        }

        /** Memory is gone once closed: opted out, and the suite checks that it says so. */
        @Override
        protected boolean supports(StorageCapability capability) {
            return capability != StorageCapability.REOPEN;
        }
    }
}
