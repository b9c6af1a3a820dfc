package io.otelservices.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the shared OTLP examples from {@code ../shared/testdata/otlp} (system property {@code otelservices.testdata}). */
public final class TestData {

    private TestData() {}

    public static byte[] otlpJson(String fileName) {
        String root = System.getProperty("otelservices.testdata", "../../shared/testdata");
        Path file = Path.of(root, "otlp", fileName);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test data " + file.toAbsolutePath(), e);
        }
    }
}
