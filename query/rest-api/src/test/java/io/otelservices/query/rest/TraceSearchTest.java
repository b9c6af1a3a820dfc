package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.MILLISECOND;
import static io.otelservices.query.rest.Fixtures.MINUTE;
import static io.otelservices.query.rest.Fixtures.NOW_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceSearchTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void search_emptyBody_usesLastHourAndDefaultLimit() {
        ApiTestServer.Response response = server.execute(HttpMethod.POST, "/api/v1/traces", null, "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType().isJson()).isTrue();
        GoldenFiles.assertMatches("search_traces_default", response.body());
        TraceQuery query = server.storage.lastTraceQuery;
        assertThat(query.range()).isEqualTo(new TimeRange(NOW_NANOS - 60 * MINUTE, NOW_NANOS));
        assertThat(query.limit()).isEqualTo(20);
        assertThat(query.traceId()).isNull();
        assertThat(query.serviceName()).isNull();
        assertThat(query.attributes()).isEmpty();
    }

    @Test
    void search_emptyJsonObject_sameAsEmptyBody() {
        ApiTestServer.Response response = server.post("/api/v1/traces", "{}");

        GoldenFiles.assertMatches("search_traces_default", response.body());
    }

    @Test
    void search_startTimeBeyond2pow53_isStringAndDurationIsNumber() {
        JsonNode trace = server.post("/api/v1/traces", "{}").json().path("traces").path(1);

        assertThat(trace.path("start_time_unix_nano").isTextual()).isTrue();
        assertThat(trace.path("start_time_unix_nano").asText()).isEqualTo(Long.toString(NOW_NANOS - 30 * MINUTE));
        assertThat(trace.path("start_time").asText()).isEqualTo("2024-05-01T11:30:00.000000000Z");
        assertThat(trace.path("duration_ns").isIntegralNumber()).isTrue();
        assertThat(trace.path("duration_ns").asLong()).isEqualTo(120 * MILLISECOND);
    }

    @Test
    void search_everyFilter_passedToStorage() {
        ApiTestServer.Response response = server.post("/api/v1/traces", """
                {"trace_id": "4BF92F3577B34DA6A3CE929D0E0E4736", "service_name": "payments", "operation": "charge",
                 "start_time": "2024-05-01T11:00:00.5+01:00", "end_time": "2024-05-01T11:59:59.999999999Z",
                 "min_duration": "10ms", "max_duration": "200000000",
                 "attributes": {"amount": "12.5", "retried": false, "attempt": 2}, "limit": 5}
                """);

        assertThat(response.status()).isEqualTo(200);
        TraceQuery query = server.storage.lastTraceQuery;
        assertThat(query.traceId()).isEqualTo(Fixtures.TRACE_A);
        assertThat(query.serviceName()).isEqualTo("payments");
        assertThat(query.spanName()).isEqualTo("charge");
        assertThat(query.range()).isEqualTo(new TimeRange(NOW_NANOS - 120 * MINUTE + 500 * MILLISECOND,
                NOW_NANOS - 1));
        assertThat(query.minDurationNanos()).isEqualTo(10 * MILLISECOND);
        assertThat(query.maxDurationNanos()).isEqualTo(200 * MILLISECOND);
        assertThat(query.attributes()).containsExactly(new AttributeFilter("amount", "12.5"),
                new AttributeFilter("retried", "false"), new AttributeFilter("attempt", "2"));
        assertThat(query.limit()).isEqualTo(5);
    }

    @Test
    void search_byOperation_findsOnlyThatTrace() {
        JsonNode traces = server.post("/api/v1/traces", "{\"operation\": \"charge\", \"min_duration\": 40000000}")
                .json().path("traces");

        assertThat(traces).hasSize(1);
        assertThat(traces.path(0).path("trace_id").asText()).isEqualTo(Fixtures.TRACE_A);
        assertThat(traces.path(0).path("root_service").asText()).isEqualTo("frontend");
        assertThat(traces.path(0).path("has_error").asBoolean()).isTrue();
        assertThat(traces.path(0).path("error_count").asInt()).isEqualTo(1);
        assertThat(traces.path(0).path("span_count").asInt()).isEqualTo(2);
    }

    @Test
    void search_onlyEndTime_rangeIsTheHourBefore() {
        server.post("/api/v1/traces", "{\"end_time\": \"2024-05-01T10:00:00Z\"}");

        assertThat(server.storage.lastTraceQuery.range())
                .isEqualTo(new TimeRange(NOW_NANOS - 180 * MINUTE, NOW_NANOS - 120 * MINUTE));
    }

    @Test
    void search_nullFields_meanNotGiven() {
        ApiTestServer.Response response = server.post("/api/v1/traces",
                "{\"service_name\": null, \"limit\": null, \"attributes\": null}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.storage.lastTraceQuery.limit()).isEqualTo(20);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"colour": "red"}                     | colour: unknown field (expected: one of trace_id, service_name, operation, start_time, end_time, min_duration, max_duration, attributes, limit)
            {"limit": 0}                          | limit: 0 is out of range (expected: an integer in 1..1000)
            {"limit": 1001}                       | limit: 1001 is out of range (expected: an integer in 1..1000)
            {"limit": "20"}                       | limit: "20" (expected: an integer in 1..1000)
            {"limit": 2.5}                        | limit: 2.5 (expected: an integer in 1..1000)
            {"start_time": "yesterday"}           | start_time: "yesterday" is not an RFC 3339 time (expected: an RFC 3339 time such as 2024-05-01T12:00:00Z)
            {"start_time": 1714564800}            | start_time: 1714564800 (expected: an RFC 3339 time such as 2024-05-01T12:00:00Z)
            {"end_time": "2024-05-01T10:00:00Z", "start_time": "2024-05-01T11:00:00Z"} | end_time: 2024-05-01T10:00:00.000000000Z is before start_time 2024-05-01T11:00:00.000000000Z (expected: end_time >= start_time)
            {"start_time": "2024-05-01T13:00:00Z"} | start_time: 2024-05-01T13:00:00.000000000Z is in the future (expected: a time before now (2024-05-01T12:00:00.000000000Z) or an end_time)
            {"min_duration": "fast"}              | min_duration: "fast": missing or malformed number at offset 0 (expected: a non-negative integer of nanoseconds, or a duration such as 250ms)
            {"min_duration": -5}                  | min_duration: -5 is negative (expected: a non-negative integer of nanoseconds, or a duration such as 250ms)
            {"max_duration": 1.5}                 | max_duration: 1.5 (expected: a non-negative integer of nanoseconds, or a duration such as 250ms)
            {"min_duration": "2s", "max_duration": "1s"} | max_duration: 1000000000ns is less than min_duration 2000000000ns (expected: max_duration >= min_duration)
            {"trace_id": "abc"}                   | trace_id: "abc" (expected: 32 hex digits, not all zero)
            {"trace_id": "00000000000000000000000000000000"} | trace_id: "00000000000000000000000000000000" (expected: 32 hex digits, not all zero)
            {"service_name": 7}                   | service_name: 7 (expected: a string)
            {"attributes": ["a"]}                 | attributes: ["a"] (expected: an object of attribute keys to values)
            {"attributes": {"k": {"x": 1}}}       | attributes.k: {"x":1} (expected: a string, number or boolean)
            [1, 2]                                | body: a JSON array (expected: a JSON object)
            "text"                                | body: a JSON string (expected: a JSON object)
            """)
    void search_invalidField_returns400NamingIt(String body, String error) {
        ApiTestServer.Response response = server.post("/api/v1/traces", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void search_malformedJson_returns400WithLocation() {
        ApiTestServer.Response response = server.post("/api/v1/traces", "{\n  \"limit\": 5,\n  \"service_name\" \"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("body: malformed JSON at line 3, column ")
                .endsWith("(expected: a JSON object)");
    }

    @Test
    void search_duplicateField_returns400() {
        ApiTestServer.Response response = server.post("/api/v1/traces", "{\"limit\": 5, \"limit\": 6}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("Duplicate field 'limit'");
    }

    @Test
    void search_trailingGarbage_returns400() {
        assertThat(server.post("/api/v1/traces", "{} {}").status()).isEqualTo(400);
    }

    @Test
    void search_nonJsonContentType_returns415() {
        ApiTestServer.Response response =
                server.execute(HttpMethod.POST, "/api/v1/traces", MediaType.FORM_DATA, "limit=5");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.error())
                .isEqualTo("content-type: application/x-www-form-urlencoded (expected: application/json)");
    }

    @Test
    void search_jsonSubtypeContentType_accepted() {
        ApiTestServer.Response response = server.execute(HttpMethod.POST, "/api/v1/traces",
                MediaType.parse("application/vnd.api+json"), "{}");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void search_getMethod_returns405WithAllow() {
        ApiTestServer.Response response = server.get("/api/v1/traces");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.allow()).isEqualTo("POST");
        assertThat(response.error()).isEqualTo("method: GET (expected: POST)");
    }
}
