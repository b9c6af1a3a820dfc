package io.otelservices.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otelservices.query.prometheus.Promtool.Result;
import io.otelservices.query.prometheus.mapping.OtlpPoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prometheus' own client against our server: {@code promtool query instant|range|series|labels} (Debian's
 * {@code prometheus} package, see {@link Promtool}). Skipped, with the reason, where promtool cannot be had.
 */
class PromtoolTest {

    @RegisterExtension
    static final ApiTestServer server = new ApiTestServer();

    private static Promtool promtool;

    private static final long T0_SECONDS = OtlpPoints.T0_MILLIS / 1000;
    private static final long NOW_SECONDS = ApiTestServer.NOW_MILLIS / 1000;

    @BeforeAll
    static void setUp() {
        promtool = Promtool.find();
        ApiFixtures.load(server.storage);
    }

    @Test
    void queryInstant_counter_valueAndLabels() {
        Result result = promtool("query", "instant", "--time=" + NOW_SECONDS, url(), "http_server_requests_total");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("http_server_requests_total{http_route=\"/cart\", "
                + "instance=\"checkout-1\", job=\"shop/checkout\", otel_scope_name=\"io.opentelemetry.http\", "
                + "otel_scope_version=\"1.2.0\"} => 30 @[" + NOW_SECONDS + "]");
    }

    @Test
    void queryInstant_badQuery_failsWithPrometheusMessage() {
        Result result = promtool("query", "instant", url(), "1 +");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("bad_data").contains("1:4: parse error: unexpected end of input");
    }

    @Test
    void queryRange_sumByJob_sampleAtEachStep() {
        Result result = promtool("query", "range", "--start=" + T0_SECONDS, "--end=" + NOW_SECONDS, "--step=1m",
                url(), "sum by (job) (system_memory_usage_bytes)");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("{job=\"shop/checkout\"} =>\n"
                + "1024 @[" + T0_SECONDS + "]\n"
                + "2048 @[" + (T0_SECONDS + 60) + "]\n"
                + "3072 @[" + NOW_SECONDS + "]");
    }

    @Test
    void querySeries_match_labelSets() {
        Result result = promtool("query", "series", "--match=queue_depth", "--start=" + T0_SECONDS,
                "--end=" + NOW_SECONDS, url());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("{__name__=\"queue_depth\", job=\"cart\", "
                + "otel_scope_name=\"io.opentelemetry.http\", otel_scope_version=\"1.2.0\"}");
    }

    @Test
    void queryLabels_withMatch_valuesOfThoseSeries() {
        Result result = promtool("query", "labels", "--start=2024-05-01T12:00:00Z", "--end=2024-05-01T12:02:00Z",
                "--match=queue_depth", url(), "job");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("cart");
    }

    @Test
    void queryLabels_job_values() {
        Result result = promtool("query", "labels", "--start=" + T0_SECONDS, "--end=" + NOW_SECONDS, url(), "job");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("cart\nshop/checkout");
    }

    private static Result promtool(String... args) {
        assumeTrue(promtool != null, "promtool is not available: " + Promtool.unavailableReason);
        return promtool.run(args);
    }

    private static String url() {
        return server.httpUri().toString();
    }
}
