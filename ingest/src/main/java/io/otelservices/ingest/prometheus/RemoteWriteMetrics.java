package io.otelservices.ingest.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.ingest.prometheus.Rejections.Reason;
import java.util.Map;

/**
 * The receiver's self-metrics, beside the pipeline's own ({@code otel.received.metric.points},
 * {@code otel.rejected.items{signal="metrics"}} for backpressure):
 * <pre>
 * otel.remote_write.requests{status,reason}      answers, by HTTP status and why (ok, rejected_samples, malformed, ...)
 * otel.remote_write.samples.accepted             samples stored (durable in the write-ahead log)
 * otel.remote_write.samples.duplicate            identical retries of stored samples, dropped
 * otel.remote_write.samples.rejected{reason}     samples refused, by {@link Reason}
 * otel.remote_write.exemplars.dropped{reason}    exemplars not stored (invalid, without_sample, ...)
 * otel.remote_write.tracked.series               series whose latest sample is remembered
 * otel.remote_write.metric.families              metric families whose metadata is remembered
 * </pre>
 * Thread-safe.
 */
final class RemoteWriteMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter duplicates;

    RemoteWriteMetrics(MeterRegistry registry, SampleTracker tracker, MetricFamilies families) {
        this.registry = registry;
        this.accepted = Counter.builder("otel.remote_write.samples.accepted")
                .description("Remote-write samples stored (durable in the write-ahead log)")
                .register(registry);
        this.duplicates = Counter.builder("otel.remote_write.samples.duplicate")
                .description("Remote-write samples dropped as identical retries of stored samples")
                .register(registry);
        Gauge.builder("otel.remote_write.tracked.series", tracker, SampleTracker::size)
                .description("Series whose latest sample the remote-write receiver remembers for ordering checks")
                .strongReference(true)
                .register(registry);
        Gauge.builder("otel.remote_write.metric.families", families, MetricFamilies::size)
                .description("Metric families whose metadata the remote-write receiver remembers")
                .strongReference(true)
                .register(registry);
    }

    void request(int status, String reason) {
        Counter.builder("otel.remote_write.requests")
                .description("Remote-write requests answered, by HTTP status and reason")
                .tag("status", Integer.toString(status))
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    void accepted(long samples) {
        accepted.increment(samples);
    }

    void duplicates(long samples) {
        duplicates.increment(samples);
    }

    void rejected(Rejections rejections) {
        for (Reason reason : Reason.values()) {
            long samples = rejections.samples(reason);
            if (samples > 0) {
                Counter.builder("otel.remote_write.samples.rejected")
                        .description("Remote-write samples not stored, by reason")
                        .tag("reason", reason.tagValue())
                        .register(registry)
                        .increment(samples);
            }
        }
    }

    void droppedExemplars(Map<String, Long> byReason) {
        for (Map.Entry<String, Long> entry : byReason.entrySet()) {
            Counter.builder("otel.remote_write.exemplars.dropped")
                    .description("Remote-write exemplars not stored, by reason")
                    .tag("reason", entry.getKey())
                    .register(registry)
                    .increment(entry.getValue());
        }
    }
}
