package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden responses under {@code src/test/resources/golden/prometheus/<case>.json}, compared as parsed JSON
 * (STYLE.md, "Wire formats"). {@code -Dgolden.update=true} rewrites them from the actual responses; review the diff.
 */
final class GoldenFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden", "prometheus");

    private GoldenFiles() {}

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    static void assertMatches(String caseName, String actualJson) {
        JsonNode actual = parse(actualJson);
        Path file = DIRECTORY.resolve(caseName + ".json");
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIRECTORY);
                Files.writeString(file, MAPPER.writeValueAsString(actual) + "\n", StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("golden file %s (write it with -Dgolden.update=true)", file).exists();
            JsonNode expected = parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!actual.equals(expected)) {
                assertThat(MAPPER.writeValueAsString(actual)).as("case %s against %s", caseName, file)
                        .isEqualTo(MAPPER.writeValueAsString(expected));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
