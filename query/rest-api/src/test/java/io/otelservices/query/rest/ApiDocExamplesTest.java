package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every {@code curl} example of {@code docs/API.md} against the test server (host and port replaced) and
 * expects a 200, so that the documented examples keep working.
 */
class ApiDocExamplesTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    private static final Path API_DOC =
            Path.of("").toAbsolutePath().getParent().getParent().resolve(Path.of("docs", "API.md"));
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void everyCurlExample_answers200() throws IOException {
        List<List<String>> commands = curlCommands(Files.readString(API_DOC, StandardCharsets.UTF_8));

        assertThat(commands).as("curl examples in %s", API_DOC).hasSize(6);
        for (List<String> command : commands) {
            ApiTestServer.Response response = run(command);
            assertThat(response.status()).as("%s answered %s", command, response.body()).isEqualTo(200);
        }
    }

    private static List<List<String>> curlCommands(String markdown) {
        List<List<String>> commands = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(markdown);
        while (block.find()) {
            String joined = block.group(1).replace("\\\n", " ");
            for (String line : joined.split("\n")) {
                if (line.strip().startsWith("curl ")) {
                    commands.add(shellWords(line.strip()));
                }
            }
        }
        return commands;
    }

    /** Splits on blanks outside single quotes, dropping the quotes: enough for the examples' shell syntax. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static ApiTestServer.Response run(List<String> command) {
        HttpMethod method = HttpMethod.GET;
        MediaType contentType = null;
        String body = "";
        String url = null;
        for (int i = 1; i < command.size(); i++) {
            String word = command.get(i);
            switch (word) {
                case "-s" -> { }
                case "-X" -> method = HttpMethod.valueOf(command.get(++i));
                case "-H" -> {
                    String header = command.get(++i);
                    assertThat(header).startsWith("content-type: ");
                    contentType = MediaType.parse(header.substring("content-type: ".length()));
                }
                case "-d" -> body = command.get(++i);
                default -> url = word;
            }
        }
        URI uri = URI.create(url);
        assertThat(uri.getAuthority()).isEqualTo("localhost:8081");
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return server.execute(method, path, contentType, body);
    }
}
