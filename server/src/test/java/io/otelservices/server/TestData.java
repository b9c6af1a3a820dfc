package io.otelservices.server;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test data of {@code ../shared/testdata}, located through the surefire system property. */
final class TestData {
    private TestData() {}

    static Path otlp(String file) {
        String root = System.getProperty("otelservices.testdata");
        if (root == null) {
            throw new IllegalStateException("system property otelservices.testdata is not set (run through Maven)");
        }
        Path path = Path.of(root, "otlp", file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing test data " + path);
        }
        return path;
    }
}
