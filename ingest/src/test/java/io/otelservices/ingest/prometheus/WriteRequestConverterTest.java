package io.otelservices.ingest.prometheus;

import static io.otelservices.ingest.prometheus.WriteRequests.labels;
import static io.otelservices.ingest.prometheus.WriteRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.ingest.prometheus.Rejections.Reason;
import io.otelservices.ingest.prometheus.WriteRequestConverter.Converted;
import io.otelservices.ingest.prometheus.WriteRequests.Label;
import io.otelservices.ingest.prometheus.WriteRequests.TestExemplar;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRequestConverterTest {

    private final SampleTracker tracker = new SampleTracker(1000);
    private final MetricFamilies families = new MetricFamilies(1000);

    private Converted convert(WriteRequests request) throws Exception {
        byte[] bytes = request.toByteArray();
        return new WriteRequestConverter(tracker, families).convert(bytes, bytes.length);
    }

    /** Converts and, as the receiver does once the points are durable, remembers metadata and latest samples. */
    private Converted convertAndStore(WriteRequests request) throws Exception {
        Converted converted = convert(request);
        families.putAll(converted.families());
        tracker.advance(converted.latest());
        return converted;
    }

    @Test
    void convert_gaugeWithoutMetadata_gaugeMarkedUnknown_jobAndInstanceOnTheResource() throws Exception {
        Converted converted = convert(new WriteRequests().series(
                labels("__name__", "temperature_celsius", "instance", "host-1:9100", "job", "node", "room", "a1"),
                sample(1_700_000_000_123L, 21.5)));

        assertThat(converted.rejections().isEmpty()).isTrue();
        assertThat(converted.points()).hasSize(1);
        MetricPoint point = converted.points().get(0);
        assertThat(point.metricName()).isEqualTo("temperature_celsius");
        assertThat(point.value()).isEqualTo(new MetricValue.Gauge(21.5));
        assertThat(point.timeNanos()).isEqualTo(1_700_000_000_123_000_000L);
        assertThat(point.startTimeNanos()).isZero();
        assertThat(point.flags()).isZero();
        assertThat(point.attributes()).containsExactly(Map.entry("room", "a1"));
        assertThat(point.resource().attributes()).containsOnly(
                Map.entry("service.name", "node"), Map.entry("service.instance.id", "host-1:9100"));
        assertThat(point.serviceName()).isEqualTo("node");
        assertThat(point.scope()).isEqualTo(InstrumentationScope.EMPTY);
        assertThat(point.metricMetadata()).containsExactly(Map.entry("prometheus.type", "unknown"));
        assertThat(point.metricDescription()).isEmpty();
        assertThat(point.metricUnit()).isEmpty();
    }

    @Test
    void convert_jobWithNamespace_namespaceAndNameOnTheResource() throws Exception {
        Converted converted = convert(new WriteRequests()
                .series(labels("__name__", "up", "job", "shop/checkout"), sample(1000, 1))
                .series(labels("__name__", "up", "job", "/odd"), sample(1000, 1)));

        assertThat(converted.points().get(0).resource().attributes()).containsOnly(
                Map.entry("service.namespace", "shop"), Map.entry("service.name", "checkout"));
        assertThat(converted.points().get(0).serviceName()).isEqualTo("checkout");
        assertThat(converted.points().get(1).resource().attributes())
                .containsOnly(Map.entry("service.name", "/odd"));
    }

    @Test
    void convert_counterMetadataInTheSameRequest_monotonicCumulativeSumWithHelpAndUnit() throws Exception {
        Converted converted = convert(new WriteRequests()
                .series(labels("__name__", "http_requests_total", "job", "api", "code", "200"), sample(1000, 7))
                .metadata(WriteRequests.COUNTER, "http_requests_total", "Requests served.", "requests"));

        MetricPoint point = converted.points().get(0);
        assertThat(point.value()).isEqualTo(new MetricValue.Sum(7, AggregationTemporality.CUMULATIVE, true));
        assertThat(point.metricMetadata()).containsExactly(Map.entry("prometheus.type", "counter"));
        assertThat(point.metricDescription()).isEqualTo("Requests served.");
        assertThat(point.metricUnit()).isEqualTo("requests");
    }

    @Test
    void convert_metadataSentEarlier_appliesToLaterSamples_openMetricsFamilyNames() throws Exception {
        convertAndStore(new WriteRequests()
                .metadata(WriteRequests.COUNTER, "jobs", "Jobs run.", "")
                .metadata(WriteRequests.HISTOGRAM, "latency_seconds", "Latency.", "seconds")
                .metadata(WriteRequests.SUMMARY, "rpc_seconds", "", "")
                .metadata(WriteRequests.GAUGE, "queue", "", ""));

        Converted converted = convert(new WriteRequests()
                .series(labels("__name__", "jobs_total"), sample(1000, 3))
                .series(labels("__name__", "jobs_created"), sample(1000, 1.6e9))
                .series(labels("__name__", "latency_seconds_bucket", "le", "0.5"), sample(1000, 4))
                .series(labels("__name__", "latency_seconds_sum"), sample(1000, 1.25))
                .series(labels("__name__", "latency_seconds_count"), sample(1000, 5))
                .series(labels("__name__", "rpc_seconds", "quantile", "0.99"), sample(1000, 0.2))
                .series(labels("__name__", "queue_total"), sample(1000, 2))
                .series(labels("__name__", "queue"), sample(1000, 9)));

        List<MetricPoint> points = converted.points();
        assertThat(points).extracting(p -> p.metricMetadata().get("prometheus.type")).containsExactly(
                "counter", "counter", "histogram", "histogram", "histogram", "summary", "unknown", "gauge");
        assertThat(points).extracting(p -> p.value().type().name()).containsExactly(
                "SUM", "GAUGE", "GAUGE", "GAUGE", "GAUGE", "GAUGE", "GAUGE", "GAUGE");
        assertThat(points.get(2).metricName()).isEqualTo("latency_seconds_bucket");
        assertThat(points.get(2).attributes()).containsExactly(Map.entry("le", "0.5"));
        assertThat(points.get(2).metricUnit()).isEqualTo("seconds");
        assertThat(points.get(5).attributes()).containsExactly(Map.entry("quantile", "0.99"));
    }

    @Test
    void convert_staleMarker_pointWithNoRecordedValueFlag() throws Exception {
        double staleNaN = Double.longBitsToDouble(WriteRequestConverter.STALE_NAN_BITS);

        Converted converted = convert(new WriteRequests().series(labels("__name__", "up", "job", "a"),
                sample(1000, 1), sample(2000, staleNaN), sample(3000, Double.NaN)));

        assertThat(converted.points()).extracting(MetricPoint::flags)
                .containsExactly(0, MetricPoint.FLAG_NO_RECORDED_VALUE, 0);
        assertThat(((MetricValue.Gauge) converted.points().get(1).value()).value()).isNaN();
        assertThat(((MetricValue.Gauge) converted.points().get(2).value()).value()).isNaN();
    }

    @Test
    void convert_exemplars_idsFromLabels_othersFiltered_attachedToTheNearestSample() throws Exception {
        TestExemplar near2000 = new TestExemplar(labels("trace_id", "4BF92F3577B34DA6A3CE929D0E0E4736",
                "span_id", "00f067aa0ba902b7", "user", "u1"), 0.25, 1990);
        TestExemplar badIds = new TestExemplar(labels("trace_id", "not-hex", "span_id", "0000000000000000"),
                0.5, 1000);

        Converted converted = convert(new WriteRequests().series(labels("__name__", "rpc_seconds_bucket",
                "le", "1"), List.of(sample(1000, 1), sample(2000, 2)), List.of(near2000, badIds), 0));

        assertThat(converted.points().get(0).exemplars()).containsExactly(new Exemplar(1_000_000_000L, 0.5, "",
                "", Map.of("trace_id", "not-hex", "span_id", "0000000000000000")));
        assertThat(converted.points().get(1).exemplars()).containsExactly(new Exemplar(1_990_000_000L, 0.25,
                "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", Map.of("user", "u1")));
    }

    @Test
    void convert_exemplarInAnEntryOfItsOwn_joinsTheSeriesSampleOfTheRequest_orIsDropped() throws Exception {
        List<Label> series = labels("__name__", "requests_total", "job", "a");
        TestExemplar exemplar = new TestExemplar(labels("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 1, 5000);

        Converted converted = convert(new WriteRequests()
                .series(series, sample(5000, 10))
                .series(series, List.of(), List.of(exemplar), 0)
                .series(labels("__name__", "other"), List.of(), List.of(exemplar), 0));

        assertThat(converted.points()).hasSize(1);
        assertThat(converted.points().get(0).exemplars()).extracting(Exemplar::traceId)
                .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(converted.droppedExemplars()).containsExactly(Map.entry("without_sample", 1L));
        assertThat(converted.rejections().isEmpty()).isTrue();
    }

    @Test
    void convert_badLabels_seriesRejectedWithReasons_othersConverted() throws Exception {
        byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28};
        Converted converted = convert(new WriteRequests()
                .series(labels("job", "a"), sample(1000, 1))
                .series(labels("__name__", "x", "job", "a", "job", "b"), sample(1000, 1), sample(2000, 1))
                .series(labels("__name__", "x", "", "a"), sample(1000, 1))
                .series(List.of(Label.of("__name__", "x"), new Label("zone".getBytes(StandardCharsets.UTF_8),
                        notUtf8)), sample(1000, 1))
                .series(labels("__name__", "good"), sample(1000, 1)));

        assertThat(converted.points()).extracting(MetricPoint::metricName).containsExactly("good");
        Rejections rejections = converted.rejections();
        assertThat(rejections.samples(Reason.MISSING_METRIC_NAME)).isEqualTo(1);
        assertThat(rejections.samples(Reason.DUPLICATE_LABEL)).isEqualTo(2);
        assertThat(rejections.samples(Reason.INVALID_LABEL)).isEqualTo(2);
        assertThat(rejections.answer(1)).isEqualTo("""
                5 of 6 samples rejected (the others were stored):
                missing metric name (label __name__) in series {job="a"}
                duplicate label name: job in series {__name__="x", job="a", job="b"}
                invalid label name: empty (expected: a non-empty UTF-8 string) in series {="a", __name__="x"}
                invalid value of label zone: not UTF-8 in series {__name__="x", zone="<not UTF-8>"}
                """);
    }

    @Test
    void convert_unsortedLabelsAndEmptyValues_sameSeriesAsSorted() throws Exception {
        convertAndStore(new WriteRequests().series(labels("__name__", "up", "job", "a", "zone", "z"),
                sample(2000, 1)));

        Converted converted = convert(new WriteRequests().series(
                labels("zone", "z", "empty", "", "job", "a", "__name__", "up"), sample(1000, 1)));

        assertThat(converted.points()).isEmpty();
        assertThat(converted.rejections().samples(Reason.OUT_OF_ORDER)).isEqualTo(1);
    }

    @Test
    void convert_outOfOrderAndDuplicateTimestamps_rejectedAsPrometheusSaysIt_identicalRetryDropped()
            throws Exception {
        List<Label> series = labels("__name__", "up", "job", "a");
        convertAndStore(new WriteRequests().series(series, sample(1000, 1), sample(2000, 1)));

        Converted converted = convert(new WriteRequests()
                .series(series, sample(2000, 1)) // the same as stored: a retry
                .series(series, sample(1500, 1))
                .series(series, sample(2000, 0))
                .series(series, sample(3000, 1), sample(3000, 1), sample(2500, 7)));

        assertThat(converted.points()).extracting(MetricPoint::timeNanos).containsExactly(3_000_000_000L);
        assertThat(converted.duplicates()).isEqualTo(2);
        Rejections rejections = converted.rejections();
        assertThat(rejections.samples(Reason.OUT_OF_ORDER)).isEqualTo(2);
        assertThat(rejections.samples(Reason.DUPLICATE_TIMESTAMP)).isEqualTo(1);
        assertThat(rejections.answer(3)).contains(
                "out of order sample: timestamp 1500 of series {__name__=\"up\", job=\"a\"} is before its latest "
                        + "sample, at 2000",
                "duplicate sample for timestamp: 2000 of series {__name__=\"up\", job=\"a\"} has value 0.0, but 1.0 "
                        + "is stored",
                "out of order sample: timestamp 2500");
    }

    @Test
    void convert_notStored_doesNotAdvanceTheTracker() throws Exception {
        List<Label> series = labels("__name__", "up");
        convert(new WriteRequests().series(series, sample(2000, 1))); // refused later, say with 503

        Converted retry = convert(new WriteRequests().series(series, sample(1000, 1), sample(2000, 1)));

        assertThat(retry.points()).hasSize(2);
        assertThat(retry.rejections().isEmpty()).isTrue();
    }

    @Test
    void convert_timestampOutOfRange_outOfBounds() throws Exception {
        Converted converted = convert(new WriteRequests().series(labels("__name__", "up"), sample(-1, 1),
                sample(WriteRequestConverter.MAX_TIMESTAMP_MILLIS + 1, 1)));

        assertThat(converted.points()).isEmpty();
        assertThat(converted.rejections().samples(Reason.OUT_OF_BOUNDS)).isEqualTo(2);
    }

    @Test
    void convert_nativeHistograms_rejected_floatSamplesKept() throws Exception {
        Converted converted = convert(new WriteRequests()
                .series(labels("__name__", "latency"), List.of(sample(1000, 1)), List.of(), 2));

        assertThat(converted.points()).hasSize(1);
        assertThat(converted.rejections().samples(Reason.NATIVE_HISTOGRAM)).isEqualTo(2);
        assertThat(converted.rejections().firstMessage()).startsWith("native histograms are not supported");
    }
}
