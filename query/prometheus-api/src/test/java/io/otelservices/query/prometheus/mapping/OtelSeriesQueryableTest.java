package io.otelservices.query.prometheus.mapping;

import static io.otelservices.query.prometheus.mapping.OtlpPoints.CART;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.T0_MILLIS;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.counter;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.deltaCounter;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.gauge;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.histogram;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.summary;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.upDownCounter;
import static io.otelservices.query.prometheus.mapping.OtlpPoints.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.SelectHints;
import io.otelservices.query.promql.Series;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.query.promql.parser.PromQlParser;
import io.otelservices.storage.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every OpenTelemetry to Prometheus mapping rule, over {@link InMemoryStorage} with OTLP-shaped points. */
class OtelSeriesQueryableTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0_MILLIS), ZoneOffset.UTC);

    private final InMemoryStorage storage = new InMemoryStorage();
    private final OtelSeriesQueryable queryable =
            new OtelSeriesQueryable(storage.series(), 1000, Duration.ofSeconds(5), CLOCK);

    @Test
    void select_gaugeWithUnit_nameWithUnitAndJobInstanceScopeLabels() {
        write(storage, gauge("system.memory.usage", 1024).unit("By").attribute("system.memory.state", "used"));

        assertThat(select("system_memory_usage_bytes")).containsExactly(
                "system_memory_usage_bytes{instance=\"checkout-1\", job=\"shop/checkout\", "
                        + "otel_scope_name=\"io.opentelemetry.http\", otel_scope_version=\"1.2.0\", "
                        + "system_memory_state=\"used\"} [0s:1024]");
    }

    @Test
    void select_resourceWithoutNamespaceOrInstance_jobIsServiceName() {
        write(storage, gauge("queue.depth", 3).resource(CART).scope(InstrumentationScope.EMPTY));

        assertThat(select("queue_depth")).containsExactly("queue_depth{job=\"cart\"} [0s:3]");
    }

    @Test
    void select_otherResourceAttributes_notLabels() {
        write(storage, gauge("queue.depth", 3));

        assertThat(queryable.labelNames(T0_MILLIS, T0_MILLIS, matchers("queue_depth"), 0))
                .containsExactly("__name__", "instance", "job", "otel_scope_name", "otel_scope_version");
    }

    @Test
    void select_gaugeUnitOne_ratioSuffix() {
        write(storage, gauge("system.cpu.utilization", 0.25).unit("1"));

        assertThat(names(select("{__name__=~\"system_cpu.*\"}"))).containsExactly("system_cpu_utilization_ratio");
    }

    @Test
    void select_cumulativeMonotonicSum_counterWithTotal() {
        write(storage, counter("http.server.requests", 5).unit("{request}"),
                counter("http.server.requests", 8).unit("{request}").at(15));

        assertThat(select("http_server_requests_total")).containsExactly(
                "http_server_requests_total" + CHECKOUT_LABELS + " [0s:5, 15s:8]");
    }

    @Test
    void select_deltaMonotonicSum_accumulatedFromFirstPointRead() {
        write(storage, deltaCounter("jobs.done", 2).at(0), deltaCounter("jobs.done", 3).at(10),
                deltaCounter("jobs.done", 0).at(20), deltaCounter("jobs.done", 4).at(30));

        assertThat(select("jobs_done_total")).containsExactly(
                "jobs_done_total" + CHECKOUT_LABELS + " [0s:2, 10s:5, 20s:5, 30s:9]");
        assertThat(select("jobs_done_total", 10, 30)).containsExactly(
                "jobs_done_total" + CHECKOUT_LABELS + " [10s:3, 20s:3, 30s:7]");
    }

    @Test
    void select_cumulativeNonMonotonicSum_gaugeWithoutTotal() {
        write(storage, upDownCounter("db.connections", 7, AggregationTemporality.CUMULATIVE).unit("{connection}"));

        assertThat(names(select("{__name__=~\"db_.*\"}"))).containsExactly("db_connections");
        assertThat(queryable.metadata(T0_MILLIS, T0_MILLIS)).contains(
                new MetricMetadata("db_connections", "gauge", "", ""));
    }

    @Test
    void select_deltaNonMonotonicSum_notExposed() {
        write(storage, upDownCounter("db.connections", 7, AggregationTemporality.DELTA));

        assertThat(select("{__name__=~\"db.*\"}")).isEmpty();
    }

    @Test
    void select_cumulativeHistogram_bucketsSumAndCount() {
        write(storage, histogram("http.server.request.duration", AggregationTemporality.CUMULATIVE, 2.5, 1, 2, 1)
                .unit("s"));

        assertThat(select("{__name__=~\"http_server_request_duration_seconds.*\"}")).containsExactly(
                "http_server_request_duration_seconds_bucket" + labels("le=\"+Inf\"") + " [0s:4]",
                "http_server_request_duration_seconds_bucket" + labels("le=\"0.1\"") + " [0s:1]",
                "http_server_request_duration_seconds_bucket" + labels("le=\"1\"") + " [0s:3]",
                "http_server_request_duration_seconds_count" + CHECKOUT_LABELS + " [0s:4]",
                "http_server_request_duration_seconds_sum" + CHECKOUT_LABELS + " [0s:2.5]");
    }

    @Test
    void select_deltaHistogram_accumulatedPerBucket() {
        write(storage, histogram("rpc.duration", AggregationTemporality.DELTA, 1, 1, 0, 0).unit("ms"),
                histogram("rpc.duration", AggregationTemporality.DELTA, 4, 0, 2, 1).unit("ms").at(10));

        assertThat(select("{__name__=~\"rpc_duration_milliseconds_(bucket|count|sum)\", le=~\"|1|\\\\+Inf\"}"))
                .containsExactly(
                        "rpc_duration_milliseconds_bucket" + labels("le=\"+Inf\"") + " [0s:1, 10s:4]",
                        "rpc_duration_milliseconds_bucket" + labels("le=\"1\"") + " [0s:1, 10s:3]",
                        "rpc_duration_milliseconds_count" + CHECKOUT_LABELS + " [0s:1, 10s:4]",
                        "rpc_duration_milliseconds_sum" + CHECKOUT_LABELS + " [0s:1, 10s:5]");
    }

    @Test
    void select_histogramWithoutSum_noSumSamples() {
        write(storage, histogram("rpc.duration", AggregationTemporality.CUMULATIVE, Double.NaN, 1, 0, 0));

        assertThat(select("rpc_duration_sum")).isEmpty();
        assertThat(select("rpc_duration_count")).hasSize(1);
    }

    @Test
    void select_summary_quantileSeriesSumAndCount() {
        write(storage, summary("gc.pause", 10, 0.5, 0.01, 0.2).unit("s"));

        assertThat(select("{__name__=~\"gc_pause_seconds.*\"}")).containsExactly(
                "gc_pause_seconds" + labels("quantile=\"0.5\"") + " [0s:0.01]",
                "gc_pause_seconds" + labels("quantile=\"0.99\"") + " [0s:0.2]",
                "gc_pause_seconds_count" + CHECKOUT_LABELS + " [0s:10]",
                "gc_pause_seconds_sum" + CHECKOUT_LABELS + " [0s:0.5]");
    }

    @Test
    void select_noRecordedValueFlag_staleMarkers() {
        write(storage, gauge("temperature", 20), gauge("temperature", 0).at(15).noRecordedValue(),
                histogram("latency", AggregationTemporality.CUMULATIVE, 1, 1, 0, 0),
                histogram("latency", AggregationTemporality.CUMULATIVE, 0, 0, 0, 0).at(15).noRecordedValue());

        assertThat(select("temperature")).containsExactly("temperature" + CHECKOUT_LABELS + " [0s:20, 15s:stale]");
        assertThat(select("{__name__=~\"latency_.*\"}")).allSatisfy(series -> assertThat(series).endsWith(
                ", 15s:stale]"));
        assertThat(select("{__name__=~\"latency_.*\"}")).hasSize(5);
    }

    @Test
    void select_exponentialHistogram_notExposed() {
        write(storage, new OtlpPoints.Point("rpc.size", new MetricValue.ExponentialHistogram(1, 1, 0, 0, 0, 0,
                new long[] {1}, 0, new long[0], Double.NaN, Double.NaN, AggregationTemporality.CUMULATIVE)));

        assertThat(select("{__name__=~\"rpc.*\"}")).isEmpty();
        assertThat(queryable.labelValues("__name__", T0_MILLIS, T0_MILLIS, List.of(), 0)).isEmpty();
    }

    @Test
    void select_attributeKeysCollide_valuesJoinedInKeyOrder() {
        write(storage, gauge("g", 1).attribute("a_b", "second").attribute("a.b", "first")
                .attribute("1st", "x").attribute("_hidden", "y"));

        assertThat(select("g")).singleElement().asString()
                .contains("a_b=\"first;second\"").contains("key_1st=\"x\"").contains("key_hidden=\"y\"");
    }

    @Test
    void select_prometheusTypeMetadata_namesAndLabelsVerbatim() {
        write(storage, counter("http_requests_total", 3).metadata(Map.of("prometheus.type", "counter"))
                        .attribute("code", "200").attribute("_raw", "1"),
                gauge("node_load1", 0.5).unit("1").metadata(Map.of("prometheus.type", "gauge")));

        assertThat(select("http_requests_total")).singleElement().asString()
                .startsWith("http_requests_total{_raw=\"1\", code=\"200\"");
        assertThat(select("node_load1")).hasSize(1);
        assertThat(queryable.metadata(T0_MILLIS, T0_MILLIS)).contains(
                new MetricMetadata("http_requests_total", "counter", "", ""),
                new MetricMetadata("node_load1", "gauge", "", "1"));
    }

    @Test
    void select_remoteWrittenClassicHistogram_seriesAsStoredAndMetadataUnderTheFamily() {
        Map<String, String> histogram = Map.of("prometheus.type", "histogram");
        write(storage, gauge("rpc_seconds_bucket", 3).metadata(histogram).attribute("le", "0.5")
                        .resource(CART).scope(InstrumentationScope.EMPTY)
                        .exemplar(-1, 0.3, "4bf92f3577b34da6a3ce929d0e0e4736", Map.of()),
                gauge("rpc_seconds_count", 4).metadata(histogram).resource(CART).scope(InstrumentationScope.EMPTY),
                gauge("rpc_seconds_sum", 1.5).metadata(histogram).resource(CART).scope(InstrumentationScope.EMPTY));

        assertThat(select("{__name__=~\"rpc_seconds_.*\"}")).containsExactly(
                "rpc_seconds_bucket{job=\"cart\", le=\"0.5\"} [0s:3]",
                "rpc_seconds_count{job=\"cart\"} [0s:4]",
                "rpc_seconds_sum{job=\"cart\"} [0s:1.5]");
        assertThat(queryable.metadata(T0_MILLIS, T0_MILLIS)).containsExactly(
                new MetricMetadata("rpc_seconds", "histogram", "", ""));
        assertThat(queryable.exemplars(T0_MILLIS - 10_000, T0_MILLIS, List.of(matchers("rpc_seconds_bucket"))))
                .singleElement().satisfies(e -> assertThat(e.seriesLabels().toString())
                        .isEqualTo("rpc_seconds_bucket{job=\"cart\", le=\"0.5\"}"));
    }

    @Test
    void select_targetInfo_onePerResourceWithOtherAttributes() {
        write(storage, gauge("a", 1), gauge("b", 2).at(10), gauge("a", 1).resource(CART).at(5));

        assertThat(select("target_info")).containsExactly(
                "target_info{host_name=\"node-a\", instance=\"checkout-1\", job=\"shop/checkout\", "
                        + "telemetry_sdk_language=\"java\"} [0s:1, 10s:1]");
    }

    @Test
    void select_withoutNameMatcher_everySeriesOfTheJobAndItsTargetInfo() {
        write(storage, gauge("a", 1), counter("b", 2), gauge("c", 3).resource(CART));

        assertThat(names(select("{job=\"shop/checkout\"}"))).containsExactly("a", "b_total", "target_info");
    }

    @Test
    void select_nameRegexAndNegation_matchTranslatedNames() {
        write(storage, gauge("http.a", 1), gauge("http.b", 1), gauge("rpc.c", 1));

        assertThat(names(select("{__name__=~\"http_.*\", __name__!=\"http_b\"}"))).containsExactly("http_a");
    }

    @Test
    void select_timeRange_inclusiveMillisecondBounds() {
        write(storage, gauge("g", 1).at(-0.001), gauge("g", 2).at(0), gauge("g", 3).at(9.9995),
                gauge("g", 4).at(10.001));

        assertThat(select("g", 0, 10)).containsExactly("g" + CHECKOUT_LABELS + " [0s:2, 9.999s:3]");
    }

    @Test
    void select_manyServices_sortedByLabels() {
        write(storage, gauge("g", 1).resource(CART), gauge("g", 2),
                gauge("g", 3).resource(new Resource(Map.of("service.name", "ads"), 0, "")));

        List<Series> series = queryable.select(hints(0, 0), matchers("g"));
        List<String> jobs = new ArrayList<>();
        for (Series one : series) {
            jobs.add(one.labels().get("job"));
        }
        // Label by label: only checkout's series has "instance", which sorts before "job".
        assertThat(jobs).containsExactly("shop/checkout", "ads", "cart");
    }

    @Test
    void select_twoStoredNamesTranslateAlike_oneSeries() {
        write(storage, gauge("http.active", 1).at(0), gauge("http_active", 2).at(10));

        assertThat(select("http_active")).containsExactly("http_active" + CHECKOUT_LABELS + " [0s:1, 10s:2]");
    }

    @Test
    void select_moreStoredSeriesThanMax_executionError() {
        OtelSeriesQueryable small = new OtelSeriesQueryable(storage.series(), 2, Duration.ofSeconds(5), CLOCK);
        write(storage, gauge("g", 1).attribute("k", "1"), gauge("g", 1).attribute("k", "2"),
                gauge("g", 1).attribute("k", "3"));

        assertThatThrownBy(() -> small.select(hints(0, 0), matchers("g")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.category())
                        .isEqualTo(QueryException.Category.EXECUTION))
                .hasMessageStartingWith("query limit exceeded while reading the series of g: ");
    }

    @Test
    void select_moreTranslatedSeriesThanMax_executionError() {
        OtelSeriesQueryable small = new OtelSeriesQueryable(storage.series(), 2, Duration.ofSeconds(5), CLOCK);
        write(storage, histogram("h", AggregationTemporality.CUMULATIVE, 1, 1, 0, 0));

        assertThatThrownBy(() -> small.select(hints(0, 0), matchers("{__name__=~\"h_.*\"}")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.category())
                        .isEqualTo(QueryException.Category.EXECUTION))
                .hasMessage("series selected: more than 2 (expected: <= 2); narrow the selector or the time range");
    }

    @Test
    void select_storageFails_internalError() {
        storage.close();

        assertThatThrownBy(() -> queryable.select(hints(0, 0), matchers("g")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.category())
                        .isEqualTo(QueryException.Category.INTERNAL))
                .hasMessageContaining("storage failed while reading metric names");
    }

    @Test
    void labelValues_metricName_fromCatalogWithTargetInfo() {
        write(storage, histogram("h", AggregationTemporality.CUMULATIVE, 1, 1, 0, 0), counter("c", 1));

        assertThat(queryable.labelValues("__name__", T0_MILLIS, T0_MILLIS, List.of(), 0))
                .containsExactly("c_total", "h_bucket", "h_count", "h_sum", "target_info");
        assertThat(queryable.labelValues("__name__", T0_MILLIS, T0_MILLIS, List.of(), 2))
                .containsExactly("c_total", "h_bucket");
    }

    @Test
    void labelValues_withMatchers_fromSelectedSeries() {
        write(storage, gauge("g", 1).attribute("route", "/a"), gauge("g", 1).attribute("route", "/b"),
                gauge("h", 1).attribute("route", "/c"));

        assertThat(queryable.labelValues("route", T0_MILLIS, T0_MILLIS, matchers("g"), 0)).containsExactly("/a", "/b");
        assertThat(queryable.labelValues("le", T0_MILLIS, T0_MILLIS, matchers("g"), 0)).isEmpty();
    }

    @Test
    void series_limit_firstLabelSets() {
        write(storage, gauge("g", 1).attribute("k", "2"), gauge("g", 1).attribute("k", "1"));

        assertThat(queryable.series(T0_MILLIS, T0_MILLIS, matchers("g"), 1)).singleElement().asString()
                .contains("k=\"1\"");
    }

    @Test
    void metadata_storedTypeUnitAndDescription() {
        write(storage, histogram("http.server.request.duration", AggregationTemporality.CUMULATIVE, 1, 1, 0, 0)
                        .unit("s").description("Duration of HTTP server requests."),
                counter("http.server.requests", 1).unit("{request}").description("Requests."),
                summary("gc.pause", 1, 1, 1, 1).unit("ms"));

        assertThat(queryable.metadata(T0_MILLIS, T0_MILLIS)).containsExactly(
                new MetricMetadata("gc_pause_milliseconds", "summary", "", "milliseconds"),
                new MetricMetadata("http_server_request_duration_seconds", "histogram",
                        "Duration of HTTP server requests.", "seconds"),
                new MetricMetadata("http_server_requests_total", "counter", "Requests.", ""),
                new MetricMetadata("target_info", "gauge", "Target metadata", ""));
    }

    @Test
    void exemplars_histogramBucketAndCounter_labelsWithTraceIds() {
        write(storage,
                histogram("latency", AggregationTemporality.CUMULATIVE, 1, 1, 1, 0).unit("s")
                        .exemplar(1, 0.5, "4bf92f3577b34da6a3ce929d0e0e4736", Map.of("user.id", "u1")),
                counter("requests", 1).exemplar(2, 1, "0af7651916cd43dd8448eb211c80319c", Map.of()),
                gauge("temperature", 1).exemplar(3, 1, "0af7651916cd43dd8448eb211c80319c", Map.of()));

        List<ExemplarSeries> exemplars = queryable.exemplars(T0_MILLIS - 1000, T0_MILLIS + 10_000, List.of(
                matchers("{__name__=~\".+\"}")));

        assertThat(exemplars).extracting(e -> e.seriesLabels().toString()).containsExactly(
                "latency_seconds_bucket" + labels("le=\"1\""), "requests_total" + CHECKOUT_LABELS);
        assertThat(exemplars.get(0).exemplars()).singleElement().satisfies(e -> {
            assertThat(e.labels().toString()).isEqualTo("{span_id=\"00f067aa0ba902b7\", "
                    + "trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\", user_id=\"u1\"}");
            assertThat(e.value()).isEqualTo(0.5);
            assertThat(e.timestampMillis()).isEqualTo(T0_MILLIS + 1000);
        });
    }

    // --- helpers

    static final String CHECKOUT_LABELS = labels(null);

    /** The labels of a {@link OtlpPoints#CHECKOUT} series with {@link OtlpPoints#SCOPE}, plus one more. */
    static String labels(String extra) {
        List<String> labels = new ArrayList<>(List.of("instance=\"checkout-1\"", "job=\"shop/checkout\"",
                "otel_scope_name=\"io.opentelemetry.http\"", "otel_scope_version=\"1.2.0\""));
        if (extra != null) {
            labels.add(extra);
            labels.sort(null);
        }
        return "{" + String.join(", ", labels) + "}";
    }

    private List<String> select(String selector) {
        return select(selector, -3600, 3600);
    }

    /** The selected series as {@code labels [time:value, ...]}, times in seconds after {@link OtlpPoints#T0_MILLIS}. */
    private List<String> select(String selector, double startSeconds, double endSeconds) {
        List<Series> series = queryable.select(hints(startSeconds, endSeconds), matchers(selector));
        List<String> texts = new ArrayList<>();
        for (Series one : series) {
            StringBuilder text = new StringBuilder(one.labels().toString()).append(" [");
            for (int i = 0; i < one.size(); i++) {
                double value = one.value(i);
                text.append(i == 0 ? "" : ", ")
                        .append(Numbers.format(
                                (one.timestampMillis(i) - T0_MILLIS) / 1000.0))
                        .append("s:").append(Series.isStaleMarker(value) ? "stale"
                                : Numbers.format(value));
            }
            texts.add(text.append(']').toString());
        }
        return texts;
    }

    private static List<String> names(List<String> series) {
        List<String> names = new ArrayList<>();
        for (String one : series) {
            String name = one.substring(0, one.indexOf('{'));
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static SelectHints hints(double startSeconds, double endSeconds) {
        return new SelectHints(T0_MILLIS + Math.round(startSeconds * 1000), T0_MILLIS + Math.round(endSeconds * 1000),
                0, 0, "");
    }

    private static List<LabelMatcher> matchers(String selector) {
        return PromQlParser.parseSeriesSelector(selector);
    }
}
