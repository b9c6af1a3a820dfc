package io.otelservices.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.otelservices.query.rest.QueryCacheConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Starts in-process all-in-one servers on free ports for tests, and reads the REST API. */
final class TestServers {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestServers() {}

    /**
     * A configuration with every port 0, data under {@code dataDirectory}, a short batch delay and no query result
     * cache (tests poll fixed past ranges until what they sent is stored).
     */
    static ServerConfig config(Path dataDirectory, Duration batchMaxDelay) {
        ServerConfig d = ServerConfig.defaults();
        return new ServerConfig(d.mode(), dataDirectory, "INFO", new ServerConfig.Ports(0, 0, 0, 0, 0, 0),
                new ServerConfig.Ingest(d.ingest().maxRequestBytes(), d.ingest().batchMaxItems(), batchMaxDelay,
                        d.ingest().walSegmentBytes(), d.ingest().maxQueuedItems(), d.ingest().writers(),
                        d.ingest().maxWriteAttempts(), d.ingest().memoryLimitBytes(), d.ingest().walMaxBytes()),
                d.duckDb(), d.clickHouse(), QueryCacheConfig.DISABLED);
    }

    static OtelServices start(Path dataDirectory) {
        try {
            return OtelServices.start(config(dataDirectory, Duration.ofMillis(50)), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A REST client for the query port. */
    static WebClient query(BoundPorts ports) {
        return WebClient.of("http://127.0.0.1:" + ports.query());
    }

    static JsonNode getJson(WebClient client, String path) {
        return json(client.get(path).aggregate().join(), path);
    }

    /** The JSON body of a 200 answer, or {@code null} for any other status (for polling). */
    static JsonNode getJsonOrNull(WebClient client, String path) {
        AggregatedHttpResponse response = client.get(path).aggregate().join();
        return response.status().equals(HttpStatus.OK) ? json(response, path) : null;
    }

    static JsonNode postJson(WebClient client, String path, String body) {
        return json(post(client, path, MediaType.JSON_UTF_8, body.getBytes(StandardCharsets.UTF_8)), path);
    }

    static AggregatedHttpResponse post(WebClient client, String path, MediaType type, byte[] body) {
        return client.execute(com.linecorp.armeria.common.RequestHeaders.builder(
                        com.linecorp.armeria.common.HttpMethod.POST, path).contentType(type).build(),
                body).aggregate().join();
    }

    private static JsonNode json(AggregatedHttpResponse response, String path) {
        if (!response.status().equals(HttpStatus.OK)) {
            throw new AssertionError(path + " answered " + response.status() + ": " + response.contentUtf8());
        }
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
