package io.otelservices.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The project's OTLP load generator: realistic traces, logs and metrics ({@link TraceFleet}, {@link LogFleet},
 * {@link MetricFleet}), pre-encoded as OTLP protobuf (or Zipkin v2 JSON for {@code -target zipkin}) before timing
 * starts, sent over OTLP/gRPC (Armeria gRPC client) or OTLP/HTTP (Armeria WebClient) at a fixed open-loop rate or
 * as fast as the server acknowledges. Prints figures every 10 s and a final summary; {@code -report} writes it as
 * JSON. Run it with
 *
 * <pre>
 * java -cp 'bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' \
 *     io.otelservices.bench.LoadGenerator -rate 100000 -duration 5m -workers 20
 * </pre>
 *
 * <p>Flags: {@link LoadOptions#USAGE}; data model and examples: {@code docs/LOADGEN.md}. Exit status 0 when every
 * request was acknowledged, 1 when some failed, 2 on bad flags.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(LoadOptions options) throws Exception {
        // Timestamps lie a little in the past, like data that just left an SDK's batch processor.
        long baseNanos = (System.currentTimeMillis() - 120_000L - options.timeShift().toMillis()) * 1_000_000L;
        List<RequestPool> pools = new ArrayList<>();
        for (Signal signal : options.signals()) {
            long begin = System.nanoTime();
            RequestPool pool = RequestPool.build(signal, options.target(), options.seed(),
                    options.poolItemsPerSignal(), options.batch(), baseNanos);
            pools.add(pool);
            System.out.printf(Locale.ROOT, "pool %-7s %,d %s in %,d requests, %,d bytes (%.0f bytes/item), built in %.1f s%n",
                    signal.flagName(), pool.items, signal.itemName(), pool.requests.size(), pool.bytes,
                    (double) pool.bytes / pool.items, (System.nanoTime() - begin) / 1e9);
        }
        if (options.dryRun()) {
            for (RequestPool pool : pools) {
                printPoolStatistics(pool);
            }
            return 0;
        }

        String endpoint = options.endpointOrDefault();
        ClientFactory factory = ClientFactory.builder().idleTimeout(Duration.ofMinutes(5)).build();
        ExportClient client = options.target().equals("zipkin") ? OtlpHttpExportClient.zipkin(endpoint, factory)
                : options.protocol().equals("grpc") ? new OtlpGrpcExportClient(endpoint, factory)
                : OtlpHttpExportClient.otlp(endpoint, factory);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("retries"));
        AckLog ackLog = options.ackLog() == null ? null : new AckLog(options.ackLog());
        StoredSpanCounter stored = options.query() == null || !options.signals().contains(Signal.TRACES)
                ? null : new StoredSpanCounter(options.query());
        long storedBefore = stored == null ? 0 : stored.count();

        List<SignalLoad> loads = new ArrayList<>();
        int signalCount = pools.size();
        for (int i = 0; i < signalCount; i++) {
            int workers = Math.max(1, options.workers() / signalCount + (i < options.workers() % signalCount ? 1 : 0));
            loads.add(new SignalLoad(pools.get(i).signal, pools.get(i), workers, options, client, retries, ackLog));
        }
        System.out.printf(Locale.ROOT, "sending to %s (%s) %s, %s, workers %d, batch %d, inflight %d per worker%n",
                endpoint, options.target().equals("zipkin") ? "zipkin v2 json" : "otlp/" + options.protocol(),
                options.max() ? "as fast as acknowledged" : String.format(Locale.ROOT, "%,.0f items/s per signal",
                        options.ratePerSignal()),
                options.duration().isZero() ? "until " + options.items() + " items per signal"
                        : "for " + options.duration().toSeconds() + " s", options.workers(), options.batch(),
                options.inflight());

        Instant startedAt = Instant.now();
        long cpuBefore = processCpuNanos();
        long startNanos = System.nanoTime() + 50_000_000L;
        long endNanos = options.duration().isZero() ? Long.MAX_VALUE : startNanos + options.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (SignalLoad load : loads) {
            for (int w = 0; w < load.workers; w++) {
                int index = w;
                Thread thread = new Thread(() -> {
                    try {
                        load.runWorker(index, startNanos, endNanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "load-" + load.signal.flagName() + "-" + w);
                thread.start();
                threads.add(thread);
            }
        }
        IntervalPrinter printer = new IntervalPrinter(loads, startNanos, ackLog);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("report"));
        long intervalMillis = options.reportInterval().toMillis();
        ticker.scheduleAtFixedRate(printer::print, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        for (Thread thread : threads) {
            thread.join();
        }
        long sendEndNanos = System.nanoTime();
        long drainLimit = System.nanoTime() + options.maxRetryDelay().toNanos() * options.maxAttempts()
                + TimeUnit.SECONDS.toNanos(90);
        while (inFlight(loads) > 0 && System.nanoTime() < drainLimit) {
            Thread.sleep(20);
        }
        long drainedNanos = System.nanoTime();
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        printer.print();
        long cpuNanos = processCpuNanos() - cpuBefore;

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("target", options.target());
        report.put("protocol", options.target().equals("zipkin") ? "http-json" : options.protocol());
        report.put("endpoint", endpoint);
        report.put("mode", options.max() ? "max" : "rate");
        if (!options.max()) {
            report.put("rate_per_signal", options.ratePerSignal());
        }
        report.put("workers", options.workers());
        report.put("batch", options.batch());
        report.put("inflight_per_worker", options.inflight());
        report.put("seed", options.seed());
        report.put("id_salt", options.idSalt());
        report.put("started_at", startedAt.toString());
        report.put("started_at_epoch_ms", startedAt.toEpochMilli() + 50);
        double sendSeconds = (sendEndNanos - startNanos) / 1e9;
        double elapsedSeconds = (drainedNanos - startNanos) / 1e9;
        report.put("send_seconds", round(sendSeconds));
        report.put("elapsed_seconds", round(elapsedSeconds));
        report.put("generator_cpu_seconds", round(cpuNanos / 1e9));
        ObjectNode signals = report.putObject("signals");
        boolean anyFailed = false;
        System.out.println("summary");
        for (SignalLoad load : loads) {
            ObjectNode node = signals.putObject(load.signal.flagName());
            Histogram latency = load.totalLatency;
            long ackItems = load.acknowledgedItems.sum();
            long ackRequests = load.acknowledgedRequests.sum();
            // Achieved: acknowledged items over the time from the start to the last acknowledgement.
            double ackSeconds = Math.max(1e-9, (Math.max(load.lastAcknowledgedNanos.get(), startNanos) - startNanos) / 1e9);
            node.put("requests_sent", load.requestsSent.sum());
            node.put("items_sent", load.itemsSent.sum());
            if (!options.max()) {
                node.put("scheduled_items_per_s", options.ratePerSignal());
            }
            node.put("offered_items_per_s", round(load.itemsSent.sum() / sendSeconds));
            node.put("offered_requests_per_s", round(load.requestsSent.sum() / sendSeconds));
            node.put("acknowledged_requests", ackRequests);
            node.put("acknowledged_items", ackItems);
            node.put("achieved_items_per_s", round(ackItems / ackSeconds));
            node.put("achieved_requests_per_s", round(ackRequests / ackSeconds));
            node.put("rejected_items", load.rejectedItems.sum());
            node.put("refused", load.refused.sum());
            node.put("transport_errors", load.transportErrors.sum());
            node.put("failed_requests", load.failedRequests.sum());
            node.put("failed_items", load.failedItems.sum());
            node.put("attempts", load.attempts.sum());
            node.put("bytes_sent", load.bytesSent.sum());
            node.put("bytes_per_item", round((double) load.pool.bytes / load.pool.items));
            ObjectNode millis = node.putObject("latency_ms");
            millis.put("p50", round(latency.getValueAtPercentile(50) / 1000.0));
            millis.put("p90", round(latency.getValueAtPercentile(90) / 1000.0));
            millis.put("p99", round(latency.getValueAtPercentile(99) / 1000.0));
            millis.put("max", round(latency.getMaxValue() / 1000.0));
            millis.put("mean", round(latency.getMean() / 1000.0));
            if (load.lastError != null) {
                node.put("last_error", load.lastError);
            }
            anyFailed |= load.failedRequests.sum() > 0;
            System.out.printf(Locale.ROOT, "  %-7s offered %,.0f items/s (%,.1f req/s), achieved %,.0f items/s "
                            + "(%,.1f req/s); acknowledged %,d %s in %,d requests; refused %,d, transport errors %,d, "
                            + "failed %,d requests; latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f%n",
                    load.signal.flagName(), load.itemsSent.sum() / sendSeconds, load.requestsSent.sum() / sendSeconds,
                    ackItems / ackSeconds, ackRequests / ackSeconds, ackItems, load.signal.itemName(), ackRequests,
                    load.refused.sum(), load.transportErrors.sum(), load.failedRequests.sum(),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
            if (load.lastError != null) {
                System.out.println("  " + load.signal.flagName() + " last error: " + load.lastError);
            }
        }
        System.out.printf(Locale.ROOT, "  generator cpu %.1f s over %.1f s%n", cpuNanos / 1e9, elapsedSeconds);
        if (inFlight(loads) > 0) {
            System.out.println("  warning: " + inFlight(loads) + " requests still in flight after the drain limit");
        }
        if (ackLog != null) {
            ackLog.close();
        }
        if (stored != null) {
            waitForStored(stored, storedBefore, loads.get(0), startNanos, options.storedTimeout(), report);
        }
        if (options.report() != null) {
            json.writeValue(options.report().toFile(), report);
        }
        retries.shutdownNow();
        factory.close();
        return anyFailed ? 1 : 0;
    }

    private static void waitForStored(StoredSpanCounter stored, long before, SignalLoad traces, long startNanos,
            Duration timeout, ObjectNode report) throws InterruptedException {
        long target = traces.acknowledgedItems.sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        while (System.nanoTime() < deadline) {
            try {
                count = stored.count() - before;
            } catch (IOException e) {
                System.out.println("  stored: " + e.getMessage());
            }
            if (count >= target) {
                break;
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        ObjectNode node = report.putObject("stored");
        node.put("spans", count);
        node.put("acknowledged_spans", target);
        node.put("seconds", round(seconds));
        node.put("spans_per_s", round(count / seconds));
        node.put("complete", count >= target);
        System.out.printf(Locale.ROOT, "  stored  %,d of %,d acknowledged spans queryable after %.1f s: %,.0f spans/s%s%n",
                count, target, seconds, count / seconds, count >= target ? "" : " (timed out)");
    }

    private static int inFlight(List<SignalLoad> loads) {
        int total = 0;
        for (SignalLoad load : loads) {
            total += load.inFlight();
        }
        return total;
    }

    private static void printPoolStatistics(RequestPool pool) {
        double items = pool.items;
        switch (pool.signal) {
            case TRACES -> {
                System.out.printf(Locale.ROOT, "  traces %,d, spans per trace %.1f (min %d, max %d), error spans %.2f %%%n",
                        pool.traces, items / pool.traces, pool.minSpansPerTrace, pool.maxSpansPerTrace,
                        100.0 * pool.errorSpans / items);
                if (pool.protobufBytesForZipkin > 0) {
                    System.out.printf(Locale.ROOT, "  the same spans as OTLP protobuf: %.0f bytes/span%n",
                            pool.protobufBytesForZipkin / items);
                }
            }
            case LOGS -> System.out.printf(Locale.ROOT, "  body %.0f chars on average, JSON bodies %.1f %%, WARN or above "
                            + "%.1f %%, with trace context %.1f %%%n", pool.logBodyChars / items,
                    100.0 * pool.logJsonBodies / items, 100.0 * pool.logWarnOrAbove / items,
                    100.0 * pool.logsWithTraceContext / items);
            case METRICS -> System.out.printf(Locale.ROOT, "  %.1f data points per request%n",
                    items / pool.requests.size());
        }
    }

    /** Prints one line per signal for the interval since the last call. */
    private static final class IntervalPrinter {
        private final List<SignalLoad> loads;
        private final long startNanos;
        private final AckLog ackLog;
        private final long[][] last;
        private long lastNanos;

        IntervalPrinter(List<SignalLoad> loads, long startNanos, AckLog ackLog) {
            this.loads = loads;
            this.startNanos = startNanos;
            this.ackLog = ackLog;
            this.last = new long[loads.size()][6];
            this.lastNanos = startNanos;
        }

        synchronized void print() {
            long now = System.nanoTime();
            double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
            for (int i = 0; i < loads.size(); i++) {
                SignalLoad load = loads.get(i);
                long[] current = {load.itemsSent.sum(), load.requestsSent.sum(), load.acknowledgedItems.sum(),
                    load.acknowledgedRequests.sum(), load.refused.sum() + load.transportErrors.sum(),
                    load.failedRequests.sum()};
                Histogram latency = load.intervalLatency();
                System.out.printf(Locale.ROOT, "[%4ds] %-7s offered %,9.0f items/s (%,6.1f req/s)  acked %,9.0f "
                                + "items/s (%,6.1f req/s)  refused %,d  failed %,d  in flight %d  latency ms p50 %.1f "
                                + "p90 %.1f p99 %.1f max %.1f%n",
                        (now - startNanos) / 1_000_000_000L, load.signal.flagName(),
                        (current[0] - last[i][0]) / seconds, (current[1] - last[i][1]) / seconds,
                        (current[2] - last[i][2]) / seconds, (current[3] - last[i][3]) / seconds,
                        current[4] - last[i][4], current[5] - last[i][5], load.inFlight(),
                        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
                        latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
                last[i] = current;
            }
            lastNanos = now;
            if (ackLog != null) {
                ackLog.flush();
            }
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
