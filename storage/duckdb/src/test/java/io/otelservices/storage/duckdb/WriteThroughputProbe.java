package io.otelservices.storage.duckdb;

import io.otelservices.model.Span;
import io.otelservices.storage.WriteBatch;
import io.otelservices.storage.contract.StorageFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteThroughputProbe {
    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        int batchSize = 10_000;
        int batches = Integer.getInteger("probe.batches", 20);
        List<WriteBatch> all = new ArrayList<>();
        int n = 0;
        for (int b = 0; b < batches + 2; b++) {
            List<Span> spans = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++, n++) {
                int trace = n / 10;
                var builder = StorageFixtures.span(StorageFixtures.traceId(trace), StorageFixtures.spanId(n))
                        .parent(n % 10 == 0 ? "" : StorageFixtures.spanId(trace * 10))
                        .service("service-" + (n % 12)).name("GET /api/v1/resource/" + (n % 40))
                        .start(StorageFixtures.BASE_NANOS + n * 100_000L).duration(1_000_000L + (n % 5000) * 1000L)
                        .attribute("app.request.id", "req-" + n);
                spans.add(Boolean.getBoolean("probe.bare") ? builder.noEventsOrLinks().build() : builder.build());
            }
            all.add(new WriteBatch(spans, List.of(), List.of(), b + 1));
        }
        long[] appendedAt = new long[1];
        try (DuckDbStorage storage = new DuckDbStorage(DuckDbConfig.of(dir), table -> appendedAt[0] = System.nanoTime())) {
            // warm-up: 2 batches
            storage.writer().write(all.get(0)).get(60, TimeUnit.SECONDS);
            storage.writer().write(all.get(1)).get(60, TimeUnit.SECONDS);
            long cpuBefore = ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long start = System.nanoTime();
            long appendNanos = 0;
            for (int b = 2; b < all.size(); b++) {
                long t0 = System.nanoTime();
                storage.writer().write(all.get(b)).get(60, TimeUnit.SECONDS);
                appendNanos += appendedAt[0] - t0;
            }
            System.out.printf("PROBE append phase %.2fs%n", appendNanos / 1e9);
            long elapsed = System.nanoTime() - start;
            long cpu = ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - cpuBefore;
            long spans = (long) batches * batchSize;
            System.out.printf("PROBE spans=%d elapsed=%.2fs rate=%.0f spans/s cpu=%.2fs (%.1f us CPU/span)%n",
                    spans, elapsed / 1e9, spans / (elapsed / 1e9), cpu / 1e9, cpu / 1e3 / spans);
        }
        long bytes = Files.size(dir.resolve("duckdb/otel.duckdb"));
        System.out.printf("PROBE file bytes=%d (%.0f B/span incl. warm-up)%n", bytes,
                bytes / (double) ((batches + 2) * batchSize));
    }
}
