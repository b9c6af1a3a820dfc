package io.otelservices.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.otelservices.query.rest.QueryCacheConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result cache as configured by default, wired into the all-in-one process, and the dependencies endpoint. */
class QueryCacheEndToEndTest {

    @TempDir
    Path dataDirectory;

    /** frontend calls checkout, which fails; 2018-12-13T14:51:00Z. */
    private static final String TRACE = """
            {"resourceSpans": [
              {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "frontend"}}]},
               "scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60d",
                 "spanId": "eee19b7ec3c1b101", "name": "GET /cart", "kind": 2,
                 "startTimeUnixNano": "1544712660000000000", "endTimeUnixNano": "1544712661000000000"}]}]},
              {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
               "scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60d",
                 "spanId": "eee19b7ec3c1b102", "parentSpanId": "eee19b7ec3c1b101", "name": "reserve", "kind": 2,
                 "startTimeUnixNano": "1544712660100000000", "endTimeUnixNano": "1544712660900000000",
                 "status": {"code": 2, "message": "out of stock"}}]}]}]}
            """;

    @Test
    void dependencies_closedRangeAskedTwice_secondFromCache() throws Exception {
        ServerConfig base = TestServers.config(dataDirectory, Duration.ofMillis(50));
        ServerConfig config = new ServerConfig(base.mode(), base.dataDirectory(), base.logLevel(), base.ports(),
                base.ingest(), base.duckDb(), base.clickHouse(), QueryCacheConfig.DEFAULT);
        try (OtelServices server = OtelServices.start(config, Clock.systemUTC())) {
            AggregatedHttpResponse accepted = TestServers.post(WebClient.of("http://127.0.0.1:"
                    + server.ports().otlpHttp()), "/v1/traces", MediaType.JSON, TRACE.getBytes(StandardCharsets.UTF_8));
            assertThat(accepted.status()).as(accepted.contentUtf8()).isEqualTo(HttpStatus.OK);
            WebClient query = TestServers.query(server.ports());
            // Trace lookups are never cached: wait until the spans are stored.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode trace = TestServers.getJsonOrNull(query, "/api/v1/traces/5b8efff798038103d269b633813fc60d");
                return trace != null && trace.get("spans").size() == 2;
            });

            String path = "/api/v1/dependencies?start_time=2018-12-13T14:00:00Z&end_time=2018-12-13T15:00:00Z";
            JsonNode first = TestServers.getJson(query, path);
            JsonNode second = TestServers.getJson(query, path);

            assertThat(first.get("dependencies")).hasSize(1);
            JsonNode call = first.get("dependencies").get(0);
            assertThat(call.get("parent").asText()).isEqualTo("frontend");
            assertThat(call.get("child").asText()).isEqualTo("checkout");
            assertThat(call.get("call_count").asLong()).isEqualTo(1);
            assertThat(call.get("error_count").asLong()).isEqualTo(1);
            assertThat(second).isEqualTo(first);
            assertThat(server.meters().find("otel.query.cache.hits").tag("query_type", "dependencies").counter()
                    .count()).isEqualTo(1);
            assertThat(server.meters().find("otel.query.cache.misses").tag("query_type", "dependencies").counter()
                    .count()).isEqualTo(1);
        }
    }
}
