package io.otelservices.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends pre-built realistic spans ({@link SpanFleet}) through the OpenTelemetry Java SDK's own OTLP exporter as fast
 * as the server acknowledges them, then waits until the query API counts them all as stored. Prints the
 * acknowledged rate (durable in the write-ahead log) and the stored rate (queryable).
 *
 * <pre>
 * java -cp 'bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' \
 *     io.otelservices.bench.SdkExporterThroughput --spans 1000000 --workers 4 --protocol grpc
 * </pre>
 */
public final class SdkExporterThroughput {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String protocol = options.getOrDefault("protocol", "grpc");
        String otlp = options.getOrDefault("endpoint",
                protocol.equals("grpc") ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318/v1/traces");
        String query = options.getOrDefault("query", "http://127.0.0.1:8081");
        long spanTarget = Long.parseLong(options.getOrDefault("spans", "1000000"));
        int workers = Integer.parseInt(options.getOrDefault("workers", "4"));
        int batchSize = Integer.parseInt(options.getOrDefault("batch", "512"));

        // Build every batch up front so that generation is not measured.
        SpanFleet fleet = new SpanFleet(42);
        long now = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000L;
        List<List<SpanData>> batches = new ArrayList<>();
        List<SpanData> current = new ArrayList<>(batchSize + 50);
        long built = 0;
        while (built < spanTarget) {
            int before = current.size();
            fleet.trace(now + built * 1_000L, current);
            built += current.size() - before;
            if (current.size() >= batchSize) {
                batches.add(current);
                current = new ArrayList<>(batchSize + 50);
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        long spans = batches.stream().mapToLong(List::size).sum();
        long storedBefore = storedSpans(query);
        System.out.printf("built %d spans in %d batches; %d spans stored before; sending with %d %s exporters%n",
                spans, batches.size(), storedBefore, workers, protocol);

        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                SpanExporter exporter = protocol.equals("grpc")
                        ? OtlpGrpcSpanExporter.builder().setEndpoint(otlp).setTimeout(Duration.ofSeconds(30)).build()
                        : OtlpHttpSpanExporter.builder().setEndpoint(otlp).setTimeout(Duration.ofSeconds(30)).build();
                for (int i; (i = next.getAndIncrement()) < batches.size(); ) {
                    CompletableResultCode result = exporter.export(batches.get(i)).join(60, TimeUnit.SECONDS);
                    (result.isSuccess() ? acknowledged : failed).addAndGet(batches.get(i).size());
                }
                exporter.shutdown().join(10, TimeUnit.SECONDS);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long ackNanos = System.nanoTime() - start;
        pool.shutdown();
        long stored;
        while ((stored = storedSpans(query) - storedBefore) < acknowledged.get()) {
            Thread.sleep(200);
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(30)) {
                break;
            }
        }
        long storedNanos = System.nanoTime() - start;
        System.out.printf("acknowledged %d spans (%d failed) in %.2f s: %.0f spans/s acknowledged%n",
                acknowledged.get(), failed.get(), ackNanos / 1e9, acknowledged.get() / (ackNanos / 1e9));
        System.out.printf("stored %d spans after %.2f s: %.0f spans/s end to end (queryable)%n",
                stored, storedNanos / 1e9, stored / (storedNanos / 1e9));
    }

    /** Spans counted by {@code GET /api/v1/services/stats} over the last day and the next hour. */
    private static long storedSpans(String query) throws Exception {
        String url = query + "/api/v1/services/stats?start_time=" + Instant.now().minus(Duration.ofDays(1))
                + "&end_time=" + Instant.now().plus(Duration.ofHours(1));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        long total = 0;
        for (JsonNode service : new ObjectMapper().readTree(response.body()).get("services")) {
            total += service.get("span_count").asLong();
        }
        return total;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
