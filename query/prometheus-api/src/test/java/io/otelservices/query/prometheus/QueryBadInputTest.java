package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import io.otelservices.query.prometheus.ApiTestServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad values for every parameter of the expression endpoints: Prometheus' status, {@code errorType} and message
 * (checked against Prometheus 2.42's answers to the same requests where it has the parameter).
 */
class QueryBadInputTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/v1/query?query=1&time=x | invalid parameter \"time\": Invalid time value for 'time': "
                + "cannot parse \"x\" to a valid timestamp",
        "/api/v1/query?query=1&time=2015-07-01 | invalid parameter \"time\": Invalid time value for 'time': "
                + "cannot parse \"2015-07-01\" to a valid timestamp",
        "/api/v1/query?query=1&time=%201 | invalid parameter \"time\": Invalid time value for 'time': "
                + "cannot parse \" 1\" to a valid timestamp",
        "/api/v1/query?query=1&time=1e400 | invalid parameter \"time\": Invalid time value for 'time': "
                + "cannot parse \"1e400\" to a valid timestamp",
        "/api/v1/query?query=1&time=NaN | invalid parameter \"time\": Invalid time value for 'time': "
                + "cannot parse \"NaN\" to a valid timestamp",
        "/api/v1/query?query=1&timeout=x | invalid parameter \"timeout\": cannot parse \"x\" to a valid duration",
        "/api/v1/query?query=1&timeout=-1s | invalid parameter \"timeout\": cannot parse \"-1s\" to a valid duration",
        "/api/v1/query?query=1&timeout=1e10 | invalid parameter \"timeout\": cannot parse \"1e10\" to a valid "
                + "duration. It overflows int64",
        "/api/v1/query?query=1&limit=x | invalid parameter \"limit\": strconv.Atoi: parsing \"x\": invalid syntax",
        "/api/v1/query?query=1&limit=-1 | invalid parameter \"limit\": limit must be non-negative",
        "/api/v1/query?query=1&limit=99999999999 | invalid parameter \"limit\": strconv.Atoi: parsing "
                + "\"99999999999\": value out of range",
        "/api/v1/query?query=1&lookback_delta=x | error parsing lookback delta duration: cannot parse \"x\" to a "
                + "valid duration",
        "/api/v1/query?query=1%20%2B | invalid parameter \"query\": 1:4: parse error: unexpected end of input",
        "/api/v1/query?query= | invalid parameter \"query\": 1:1: parse error: no expression found in input",
        "/api/v1/query | invalid parameter \"query\": 1:1: parse error: no expression found in input",
        "/api/v1/query_range?query=1&end=5&step=1 | invalid parameter \"start\": cannot parse \"\" to a valid "
                + "timestamp",
        "/api/v1/query_range?query=1&start=x&end=5&step=1 | invalid parameter \"start\": cannot parse \"x\" to a "
                + "valid timestamp",
        "/api/v1/query_range?query=1&start=0&step=1 | invalid parameter \"end\": cannot parse \"\" to a valid "
                + "timestamp",
        "/api/v1/query_range?query=1&start=10&end=5&step=1 | invalid parameter \"end\": end timestamp must not be "
                + "before start time",
        "/api/v1/query_range?query=1&start=0&end=5 | invalid parameter \"step\": cannot parse \"\" to a valid "
                + "duration",
        "/api/v1/query_range?query=1&start=0&end=5&step=x | invalid parameter \"step\": cannot parse \"x\" to a "
                + "valid duration",
        "/api/v1/query_range?query=1&start=0&end=5&step=0 | invalid parameter \"step\": zero or negative query "
                + "resolution step widths are not accepted. Try a positive integer",
        "/api/v1/query_range?query=1&start=0&end=5&step=-1 | invalid parameter \"step\": zero or negative query "
                + "resolution step widths are not accepted. Try a positive integer",
        "/api/v1/query_range?query=1&start=0&end=20000&step=1 | exceeded maximum resolution of 11,000 points per "
                + "timeseries. Try decreasing the query resolution (?step=XX)",
        "/api/v1/query_range?query=1&start=0&end=5&step=1&timeout=x | invalid parameter \"timeout\": cannot parse "
                + "\"x\" to a valid duration",
        "/api/v1/query_range?query=1&start=0&end=5&step=1&limit=x | invalid parameter \"limit\": strconv.Atoi: "
                + "parsing \"x\": invalid syntax",
        "/api/v1/query_range?query=rate(up)&start=0&end=5&step=1 | invalid parameter \"query\": 1:6: parse error: "
                + "expected type range vector in call to function \"rate\", got instant vector",
        "/api/v1/query_range?query=up[5m]&start=0&end=5&step=1 | invalid parameter \"query\": "
                + "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector",
        "/api/v1/format_query?query=1%20%2B | invalid parameter \"query\": 1:4: parse error: unexpected end of input",
        "/api/v1/parse_query?query=1%20%2B | invalid parameter \"query\": 1:4: parse error: unexpected end of input",
        "/api/v1/query_exemplars?query=up&start=x | invalid parameter \"start\": Invalid time value for 'start': "
                + "cannot parse \"x\" to a valid timestamp",
        "/api/v1/query_exemplars?query=up&end=x | invalid parameter \"end\": Invalid time value for 'end': "
                + "cannot parse \"x\" to a valid timestamp",
        "/api/v1/query_exemplars?query=up&start=10&end=5 | end timestamp must not be before start timestamp",
        "/api/v1/query_exemplars?query=1%20%2B | 1:4: parse error: unexpected end of input",
    })
    void request_badParameter_badData400WithPrometheusMessage(String path, String message) {
        Response response = server.get(path);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorType()).isEqualTo("bad_data");
        assertThat(response.error()).isEqualTo(message);
        assertThat(response.json().get("status").asText()).isEqualTo("error");
    }

    @Test
    void query_wrongMethod_405WithAllow() {
        Response response = server.execute(HttpRequest.of(HttpMethod.DELETE, "/api/v1/query"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.error()).isEqualTo("method: DELETE (expected: GET or POST)");
    }

    @Test
    void labelValues_post_405() {
        Response response = server.post("/api/v1/label/job/values", "");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.error()).isEqualTo("method: POST (expected: GET)");
    }

    @Test
    void query_zeroTimeout_timeout503() {
        Response response = server.get("/api/v1/query?query=1&timeout=0");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.errorType()).isEqualTo("timeout");
    }
}
