package io.otelservices.query.prometheus.mapping;

import static io.otelservices.query.prometheus.mapping.PrometheusNames.Suffix.GAUGE;
import static io.otelservices.query.prometheus.mapping.PrometheusNames.Suffix.NONE;
import static io.otelservices.query.prometheus.mapping.PrometheusNames.Suffix.TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusNamesTest {

    @Test
    void metricName_ucumUnits_appendPrometheusUnitWords() {
        assertThat(PrometheusNames.metricName("http.server.request.duration", "s", NONE))
                .isEqualTo("http_server_request_duration_seconds");
        assertThat(PrometheusNames.metricName("system.filesystem.usage", "By", GAUGE))
                .isEqualTo("system_filesystem_usage_bytes");
        assertThat(PrometheusNames.metricName("db.client.latency", "ms", NONE))
                .isEqualTo("db_client_latency_milliseconds");
        assertThat(PrometheusNames.metricName("room.temperature", "Cel", GAUGE)).isEqualTo("room_temperature_celsius");
        assertThat(PrometheusNames.metricName("cpu.load", "%", GAUGE)).isEqualTo("cpu_load_percent");
    }

    @Test
    void metricName_unitOne_ratioForGaugesOnly() {
        assertThat(PrometheusNames.metricName("system.memory.utilization", "1", GAUGE))
                .isEqualTo("system_memory_utilization_ratio");
        assertThat(PrometheusNames.metricName("cache.hit.ratio", "1", GAUGE)).isEqualTo("cache_hit_ratio");
        assertThat(PrometheusNames.metricName("jobs.done", "1", TOTAL)).isEqualTo("jobs_done_total");
        assertThat(PrometheusNames.metricName("queue.size", "1", NONE)).isEqualTo("queue_size");
    }

    @Test
    void metricName_annotationUnit_dropped() {
        assertThat(PrometheusNames.metricName("http.server.requests", "{requests}", TOTAL))
                .isEqualTo("http_server_requests_total");
        assertThat(PrometheusNames.metricName("system.network.dropped", "{packets}", GAUGE))
                .isEqualTo("system_network_dropped");
    }

    @Test
    void metricName_perUnit_perWordInSingular() {
        assertThat(PrometheusNames.metricName("network.io", "By/s", GAUGE)).isEqualTo("network_io_bytes_per_second");
        assertThat(PrometheusNames.metricName("requests.rate", "{request}/s", GAUGE))
                .isEqualTo("requests_rate_per_second");
        assertThat(PrometheusNames.metricName("distance", "m/h", GAUGE)).isEqualTo("distance_meters_per_hour");
        assertThat(PrometheusNames.metricName("odd", "foo/bar", GAUGE)).isEqualTo("odd_foo_per_bar");
    }

    @Test
    void metricName_monotonicSum_totalOnceAndLast() {
        assertThat(PrometheusNames.metricName("process.cpu.time", "s", TOTAL))
                .isEqualTo("process_cpu_time_seconds_total");
        assertThat(PrometheusNames.metricName("requests.total", "", TOTAL)).isEqualTo("requests_total");
        assertThat(PrometheusNames.metricName("total.requests", "", TOTAL)).isEqualTo("requests_total");
    }

    @Test
    void metricName_unitAlreadyInName_notRepeated() {
        assertThat(PrometheusNames.metricName("gc.pause.seconds", "s", NONE)).isEqualTo("gc_pause_seconds");
        assertThat(PrometheusNames.metricName("http_requests_total", "", TOTAL)).isEqualTo("http_requests_total");
    }

    @Test
    void metricName_invalidCharacters_wordsJoinedWithOneUnderscore() {
        assertThat(PrometheusNames.metricName("(lambda).function.executions(#)", "", GAUGE))
                .isEqualTo("lambda_function_executions");
        assertThat(PrometheusNames.metricName("a__b--c", "", GAUGE)).isEqualTo("a_b_c");
        assertThat(PrometheusNames.metricName("k8s:pod.cpu", "", GAUGE)).isEqualTo("k8s:pod_cpu");
    }

    @Test
    void metricName_leadingDigit_underscorePrefix() {
        assertThat(PrometheusNames.metricName("2xx.responses", "", TOTAL)).isEqualTo("_2xx_responses_total");
    }

    @Test
    void metricName_nothingValid_empty() {
        assertThat(PrometheusNames.metricName("...", "", GAUGE)).isEmpty();
        assertThat(PrometheusNames.metricName("ü", "{x}", NONE)).isEmpty();
    }

    @Test
    void unitName_ucumUnits_prometheusWords() {
        assertThat(PrometheusNames.unitName("s")).isEqualTo("seconds");
        assertThat(PrometheusNames.unitName("By/s")).isEqualTo("bytes_per_second");
        assertThat(PrometheusNames.unitName("{request}/s")).isEqualTo("per_second");
        assertThat(PrometheusNames.unitName("1")).isEmpty();
        assertThat(PrometheusNames.unitName("{packets}")).isEmpty();
        assertThat(PrometheusNames.unitName("")).isEmpty();
    }

    @Test
    void labelName_invalidCharacters_underscores() {
        assertThat(PrometheusNames.labelName("http.request.method")).isEqualTo("http_request_method");
        assertThat(PrometheusNames.labelName("k8s.pod-name")).isEqualTo("k8s_pod_name");
        assertThat(PrometheusNames.labelName("a..b")).isEqualTo("a__b");
        assertThat(PrometheusNames.labelName("valid_name")).isEqualTo("valid_name");
    }

    @Test
    void labelName_leadingDigitOrUnderscore_keyPrefix() {
        assertThat(PrometheusNames.labelName("1st.attempt")).isEqualTo("key_1st_attempt");
        assertThat(PrometheusNames.labelName("_private")).isEqualTo("key_private");
        assertThat(PrometheusNames.labelName(".hidden")).isEqualTo("key_hidden");
        assertThat(PrometheusNames.labelName("__reserved")).isEqualTo("__reserved");
    }

    @Test
    void labelName_nothingValid_empty() {
        assertThat(PrometheusNames.labelName("")).isEmpty();
        assertThat(PrometheusNames.labelName("__")).isEmpty();
    }

    @Test
    void isValidLabelName_classicCharacterSet() {
        assertThat(PrometheusNames.isValidLabelName("job")).isTrue();
        assertThat(PrometheusNames.isValidLabelName("_x9")).isTrue();
        assertThat(PrometheusNames.isValidLabelName("9x")).isFalse();
        assertThat(PrometheusNames.isValidLabelName("a.b")).isFalse();
        assertThat(PrometheusNames.isValidLabelName("")).isFalse();
    }
}
