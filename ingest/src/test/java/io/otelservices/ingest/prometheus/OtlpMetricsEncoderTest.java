package io.otelservices.ingest.prometheus;

import static io.otelservices.ingest.prometheus.WriteRequests.labels;
import static io.otelservices.ingest.prometheus.WriteRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.ingest.Signal;
import io.otelservices.ingest.otlp.OtlpConverter;
import io.otelservices.ingest.prometheus.WriteRequests.TestExemplar;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpMetricsEncoderTest {

    @Test
    void encode_replayedFromTheWriteAheadLog_givesEqualPoints() throws Exception {
        double staleNaN = Double.longBitsToDouble(WriteRequestConverter.STALE_NAN_BITS);
        byte[] request = new WriteRequests()
                .metadata(WriteRequests.COUNTER, "requests_total", "Requests.", "1")
                .series(labels("__name__", "requests_total", "job", "ns/api", "instance", "h:1", "code", "200"),
                        List.of(sample(1000, 1), sample(2000, 2)),
                        List.of(new TestExemplar(labels("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                                "span_id", "00f067aa0ba902b7", "user", "u"), 1, 1000)), 0)
                .series(labels("__name__", "requests_total", "job", "ns/api", "instance", "h:1", "code", "500"),
                        sample(1000, 3))
                .series(labels("__name__", "up", "job", "other"), sample(1000, 1), sample(2000, staleNaN))
                .series(labels("__name__", "no_job"), sample(1000, -0.0))
                .toByteArray();
        List<MetricPoint> points = new WriteRequestConverter(new SampleTracker(10), new MetricFamilies(10))
                .convert(request, request.length).points();

        List<MetricPoint> replayed = OtlpConverter.convert(Signal.METRICS, OtlpMetricsEncoder.encode(points))
                .metricPoints();

        assertThat(replayed).hasSameSizeAs(points);
        // Grouping by resource and metric may reorder points. Records compare doubles with Double.compare: NaN
        // equals NaN, -0.0 differs from 0.0.
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(points);
        MetricPoint stale = replayed.stream().filter(p -> p.flags() != 0).findFirst().orElseThrow();
        assertThat(stale.metricName()).isEqualTo("up");
        assertThat(Double.doubleToRawLongBits(((MetricValue.Gauge) stale.value()).value()))
                .isEqualTo(WriteRequestConverter.STALE_NAN_BITS);
    }
}
