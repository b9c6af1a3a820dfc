package io.otelservices.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The process's Prometheus self-metrics: one Micrometer registry that ingest, storage and query record into, and
 * the {@code /metrics} endpoint that renders it in the Prometheus text format.
 */
final class SelfMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    SelfMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // The seed's name: heap plus non-heap in use, the figure the memory limiter (issue 4) will budget.
        Gauge.builder("otel.memory.usage", memory,
                        m -> m.getHeapMemoryUsage().getUsed() + m.getNonHeapMemoryUsage().getUsed())
                .baseUnit("bytes")
                .description("JVM heap and non-heap memory in use")
                .register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    void addTo(ServerBuilder sb) {
        sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()));
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
