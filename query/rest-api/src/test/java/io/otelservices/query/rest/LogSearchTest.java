package io.otelservices.query.rest;

import static io.otelservices.query.rest.Fixtures.MINUTE;
import static io.otelservices.query.rest.Fixtures.NOW_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSearchTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
    }

    @Test
    void search_emptyBody_lastHourNewestFirst() {
        ApiTestServer.Response response = server.post("/api/v1/logs", "");

        assertThat(response.status()).isEqualTo(200);
        GoldenFiles.assertMatches("search_logs_default", response.body());
        LogQuery query = server.storage.lastLogQuery;
        assertThat(query.range()).isEqualTo(new TimeRange(NOW_NANOS - 60 * MINUTE, NOW_NANOS));
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.minSeverityNumber()).isZero();
        assertThat(query.after()).isNull();
    }

    @Test
    void search_everyFilter_passedToStorage() {
        ApiTestServer.Response response = server.post("/api/v1/logs", """
                {"service_name": "payments", "start_time": "2024-05-01T11:00:00Z", "end_time": "2024-05-01T12:00:00Z",
                 "severity": "warn", "search_text": "CARD", "trace_id": "4BF92F3577B34DA6A3CE929D0E0E4736",
                 "attributes": {"attempt": 2}, "limit": 7}
                """);

        assertThat(response.status()).isEqualTo(200);
        LogQuery query = server.storage.lastLogQuery;
        assertThat(query.serviceName()).isEqualTo("payments");
        assertThat(query.minSeverityNumber()).isEqualTo(13);
        assertThat(query.searchText()).isEqualTo("CARD");
        assertThat(query.traceId()).isEqualTo(Fixtures.TRACE_A);
        assertThat(query.attributes()).containsExactly(new AttributeFilter("attempt", "2"));
        assertThat(query.limit()).isEqualTo(7);
    }

    @Test
    void search_severityError_onlyErrorsAndAbove() {
        JsonNode logs = server.post("/api/v1/logs", "{\"severity\": \"ERROR\"}").json().path("logs");

        assertThat(logs).hasSize(1);
        assertThat(logs.path(0).path("severity_text").asText()).isEqualTo("ERROR");
        assertThat(logs.path(0).path("event_name").asText()).isEqualTo("payment.failed");
        assertThat(logs.path(0).path("observed_timestamp").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"\"trace\",1", "\"Debug\",5", "\"INFO\",9", "\"warn\",13", "\"fatal\",21", "17,17", "\"24\",24",
            "1,1", "\"\",0"})
    void search_severity_nameOrNumber(String severity, int expected) {
        ApiTestServer.Response response = server.post("/api/v1/logs", "{\"severity\": " + severity + "}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.storage.lastLogQuery.minSeverityNumber()).isEqualTo(expected);
    }

    @Test
    void search_pagedWithCursor_everyRecordOnce() {
        List<String> bodies = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String request = cursor == null ? "{\"limit\": 1}" : "{\"limit\": 1, \"cursor\": \"" + cursor + "\"}";
            JsonNode page = server.post("/api/v1/logs", request).json();
            page.path("logs").forEach(record -> bodies.add(record.path("body").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(bodies).containsExactly("tick", "retrying charge", "card declined for order 1234",
                "checkout started");
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void search_cursor_decodedForStorage() {
        String cursor = LogCursorCodec.encode(new LogCursor(NOW_NANOS - 24 * MINUTE, 1));

        server.post("/api/v1/logs", "{\"cursor\": \"" + cursor + "\"}");

        assertThat(server.storage.lastLogQuery.after()).isEqualTo(new LogCursor(NOW_NANOS - 24 * MINUTE, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"severity": "LOUD"}      | severity: "LOUD" (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24)
            {"severity": 0}           | severity: 0 (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24)
            {"severity": 25}          | severity: 25 (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24)
            {"severity": "unspecified"} | severity: "unspecified" (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24)
            {"severity": true}        | severity: true (expected: one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24)
            {"cursor": "not a cursor!"} | cursor: "not a cursor!" is malformed (expected: the next_cursor of an earlier response)
            {"cursor": "MjoxOjI"}     | cursor: "MjoxOjI" is malformed (expected: the next_cursor of an earlier response)
            {"limit": 0}              | limit: 0 is out of range (expected: an integer in 1..1000)
            {"limit": 1001}           | limit: 1001 is out of range (expected: an integer in 1..1000)
            {"trace_id": "xyz"}       | trace_id: "xyz" (expected: 32 hex digits, not all zero)
            {"search_text": 5}        | search_text: 5 (expected: a string)
            {"end_time": "2024-05-01T10:00:00Z", "start_time": "2024-05-01T11:00:00Z"} | end_time: 2024-05-01T10:00:00.000000000Z is before start_time 2024-05-01T11:00:00.000000000Z (expected: end_time >= start_time)
            {"start_time": "2024-13-01T00:00:00Z"} | start_time: "2024-13-01T00:00:00Z" is not an RFC 3339 time (expected: an RFC 3339 time such as 2024-05-01T12:00:00Z)
            {"body": "x"}             | body: unknown field (expected: one of service_name, start_time, end_time, severity, search_text, trace_id, attributes, limit, cursor)
            """)
    void search_invalidField_returns400NamingIt(String body, String error) {
        ApiTestServer.Response response = server.post("/api/v1/logs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void search_getMethod_returns405() {
        assertThat(server.get("/api/v1/logs").status()).isEqualTo(405);
    }
}
