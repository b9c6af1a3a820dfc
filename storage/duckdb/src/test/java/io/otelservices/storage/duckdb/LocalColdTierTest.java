package io.otelservices.storage.duckdb;

import io.otelservices.storage.objectstore.LocalObjectStore;
import io.otelservices.storage.objectstore.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The cold tier on a {@link LocalObjectStore}: runs everywhere, S3Proxy or not. */
class LocalColdTierTest extends ColdTierTest {

    @TempDir
    Path objectDirectory;

    @Override
    protected ObjectStore newStore() {
        return new LocalObjectStore(objectDirectory);
    }

    @Override
    protected ObjectStore unreachableStore() {
        return new UnreachableObjectStore();
    }
}
