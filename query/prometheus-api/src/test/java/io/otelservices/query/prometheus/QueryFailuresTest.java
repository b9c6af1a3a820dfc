package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.query.prometheus.ApiTestServer.Response;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.QueryResult;
import io.otelservices.query.promql.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How engine results and failures reach the client, with a {@link FakeEvaluator} in place of the engine. */
class QueryFailuresTest {

    static final FakeEvaluator evaluator = new FakeEvaluator();

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer(evaluator);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // The engine refuses a query before evaluating it with bad_data: Prometheus' "invalid parameter".
        "BAD_DATA | 400 | bad_data | invalid parameter \\\"query\\\": it went wrong",
        "EXECUTION | 422 | execution | it went wrong",
        "TIMEOUT | 503 | timeout | it went wrong",
        "CANCELED | 503 | canceled | it went wrong",
        "INTERNAL | 500 | internal | it went wrong",
    })
    void query_engineFails_categoryMapsToStatusAndErrorType(QueryException.Category category, int status,
            String errorType, String message) {
        evaluator.fail(new QueryException(category, "it went wrong"));
        double before = server.errorCount("query", errorType);

        Response response = server.get("/api/v1/query?query=up");

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"" + errorType + "\",\"error\":\"" + message + "\"}");
        assertThat(server.errorCount("query", errorType)).isEqualTo(before + 1);
    }

    @Test
    void queryRange_unexpectedException_internal500() {
        evaluator.fail(new IllegalStateException("boom"));

        Response response = server.get("/api/v1/query_range?query=up&start=0&end=60&step=15");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.errorType()).isEqualTo("internal");
        assertThat(response.error()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void query_manyAnnotations_tenOfEachAndACount() {
        List<String> warnings = new ArrayList<>();
        List<String> infos = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            warnings.add("warning " + i);
            infos.add("info " + i);
        }
        evaluator.answer(new QueryResult(new Value.Scalar(1000, 1), warnings, infos, 3));

        Response response = server.get("/api/v1/query?query=1");

        assertThat(response.json().get("warnings")).hasSize(11);
        assertThat(response.json().at("/warnings/10").asText()).isEqualTo("2 more warning annotations omitted");
        assertThat(response.json().at("/infos/10").asText()).isEqualTo("2 more info annotations omitted");
    }

    @Test
    void query_parameters_passedToTheEngine() {
        evaluator.answer(new QueryResult(new Value.Vector(List.of(
                new Value.Sample(Labels.of("__name__", "up", "job", "a"), 5000, 1))), List.of(), List.of(), 1));

        Response response = server.get("/api/v1/query?query=up&time=5&timeout=1m30s&lookback_delta=30");

        assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[5,\"1\"]}]}}");
        assertThat(evaluator.lastCall.get()).isEqualTo(new FakeEvaluator.Call("up", 5000, 5000, 0,
                Duration.ofSeconds(90), Duration.ofSeconds(30)));
    }

    @Test
    void queryRange_parameters_passedToTheEngine() {
        evaluator.answer(new QueryResult(new Value.Matrix(List.of()), List.of(), List.of(), 0));

        Response response = server.get("/api/v1/query_range?query=up&start=1.5&end=61.5&step=15s&timeout=2.5");

        assertThat(response.body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        assertThat(evaluator.lastCall.get()).isEqualTo(new FakeEvaluator.Call("up", 1500, 61500, 15000,
                Duration.ofMillis(2500), null));
    }
}
