package io.otelservices.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The load generator's flags, validated. Flags take one dash or two ({@code -rate 1000} or {@code --rate 1000});
 * {@code -max} and {@code -dry-run} take no value. See {@link #USAGE} and {@code docs/LOADGEN.md}.
 *
 * @param target {@code otlp} (our server, or any OTLP receiver) or {@code zipkin} (Zipkin v2 JSON, traces only)
 * @param protocol {@code grpc} or {@code http}; ignored for zipkin, which is always HTTP
 * @param signals the signals to send, each at {@code rate}
 * @param endpoint base URI, e.g. {@code http://127.0.0.1:4317}; null for the target's default
 * @param ratePerSignal items per second for each signal (open loop); ignored with {@code max}
 * @param duration how long to send; {@link Duration#ZERO} means until {@code items} are sent
 * @param workers sending threads in all, shared out among the signals
 * @param batch items per request (traces: whole traces until at least this many spans)
 * @param seed data seed; the same seed gives the same data
 * @param max send as fast as the server acknowledges (closed loop, {@code inflight} per worker)
 * @param items stop after this many items per signal; 0 for no limit
 * @param poolItems items pre-generated per signal; requests are reused with fresh trace ids past it
 * @param inflight requests in flight per worker at most
 * @param idSalt mixed into trace ids, so that runs with the same seed send distinct traces
 * @param maxAttempts attempts per request before it counts as failed
 * @param maxRetryDelay upper bound of a retry delay, hinted or not
 * @param report JSON summary file, or null
 * @param ackLog file with one line per acknowledged request, or null
 * @param query our query API base URI to wait for stored spans, or null
 * @param storedTimeout how long to wait for the query API to count every acknowledged span
 * @param reportInterval how often to print interval figures
 * @param dryRun build the pool, print its statistics and exit
 * @param timeShift how much further in the past the generated timestamps lie
 */
record LoadOptions(String target, String protocol, Set<Signal> signals, String endpoint, double ratePerSignal,
        Duration duration, int workers, int batch, long seed, boolean max, long items, long poolItems, int inflight,
        long idSalt, int maxAttempts, Duration maxRetryDelay, Path report, Path ackLog, String query,
        Duration storedTimeout, Duration reportInterval, boolean dryRun, Duration timeShift) {

    static final String USAGE = """
            usage: LoadGenerator [flags]
              -target otlp|zipkin      what to send to (default otlp; zipkin sends Zipkin v2 JSON, traces only)
              -protocol grpc|http      OTLP transport (default grpc)
              -signals LIST            comma-separated: traces,logs,metrics (default traces)
              -endpoint URI            default http://127.0.0.1:4317 (grpc), :4318 (http), :9411 (zipkin)
              -rate N                  items per second per signal, open loop (default 10000)
              -duration D              e.g. 90s, 5m, 1h (default 60s; 0 = until -items are sent)
              -workers N               sending threads, shared among signals (default 4)
              -batch N                 items per request (default 512)
              -seed N                  data seed (default 42)
              -max                     as fast as the server acknowledges, -inflight requests per worker
              -items N                 stop after N items per signal (default 0: no limit)
              -pool N                  items pre-generated per signal (default 200000, at most -items)
              -inflight N              requests in flight per worker (default 4)
              -id-salt N               mixed into trace ids: same data, distinct traces (default 0)
              -max-attempts N          attempts per request before it counts as failed (default 10)
              -max-retry-delay D       upper bound of a retry delay (default 5s)
              -report FILE             write the JSON summary to FILE
              -ack-log FILE            one JSON line per acknowledged request (trace ids and span counts)
              -query URI               our query API (e.g. http://127.0.0.1:8081): wait until it counts every
                                       acknowledged span as stored and report the stored rate
              -stored-timeout D        how long to wait for that (default 10m)
              -report-interval D       interval figures (default 10s)
              -dry-run                 build the pool, print its statistics (bytes per item...) and exit
              -time-shift D            timestamps D further in the past (default 0; e.g. 3h gives data whose
                                       hour is already closed, which storage seals at its next maintenance run)
            """;

    LoadOptions {
        if (!target.equals("otlp") && !target.equals("zipkin")) {
            throw new IllegalArgumentException("target: " + target + " (expected: otlp or zipkin)");
        }
        if (!protocol.equals("grpc") && !protocol.equals("http")) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: grpc or http)");
        }
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("signals: none (expected: at least one of traces, logs, metrics)");
        }
        if (target.equals("zipkin") && !signals.equals(EnumSet.of(Signal.TRACES))) {
            throw new IllegalArgumentException("signals: " + signals + " (expected: traces only with -target zipkin)");
        }
        if (!max && !(ratePerSignal > 0)) {
            throw new IllegalArgumentException("rate: " + ratePerSignal + " (expected: > 0)");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: >= 1)");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch: " + batch + " (expected: >= 1)");
        }
        if (items < 0) {
            throw new IllegalArgumentException("items: " + items + " (expected: >= 0)");
        }
        if (duration.isZero() && items == 0 && !dryRun) {
            throw new IllegalArgumentException("duration: 0 and items: 0 (expected: a limit, one or both)");
        }
        if (poolItems < 1) {
            throw new IllegalArgumentException("pool: " + poolItems + " (expected: >= 1)");
        }
        if (inflight < 1) {
            throw new IllegalArgumentException("inflight: " + inflight + " (expected: >= 1)");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts: " + maxAttempts + " (expected: >= 1)");
        }
    }

    /** The endpoint given, or the target's default. */
    String endpointOrDefault() {
        if (endpoint != null) {
            return endpoint;
        }
        if (target.equals("zipkin")) {
            return "http://127.0.0.1:9411";
        }
        return protocol.equals("grpc") ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318";
    }

    /** Items to pre-generate per signal: {@code -pool}, but no more than {@code -items}. */
    long poolItemsPerSignal() {
        return items > 0 ? Math.min(items, poolItems) : poolItems;
    }

    static LoadOptions parse(String[] args) {
        String target = "otlp";
        String protocol = "grpc";
        Set<Signal> signals = EnumSet.of(Signal.TRACES);
        String endpoint = null;
        double rate = 10_000;
        Duration duration = Duration.ofSeconds(60);
        int workers = 4;
        int batch = 512;
        long seed = 42;
        boolean max = false;
        long items = 0;
        long pool = 200_000;
        int inflight = 4;
        long idSalt = 0;
        int maxAttempts = 10;
        Duration maxRetryDelay = Duration.ofSeconds(5);
        Duration timeShift = Duration.ZERO;
        Path report = null;
        Path ackLog = null;
        String query = null;
        Duration storedTimeout = Duration.ofMinutes(10);
        Duration reportInterval = Duration.ofSeconds(10);
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i].startsWith("--") ? args[i].substring(2) : args[i].startsWith("-")
                    ? args[i].substring(1) : null;
            if (flag == null) {
                throw new IllegalArgumentException("argument: " + args[i] + " (expected: a flag)\n" + USAGE);
            }
            if (flag.equals("max")) {
                max = true;
                continue;
            }
            if (flag.equals("dry-run")) {
                dryRun = true;
                continue;
            }
            if (flag.equals("h") || flag.equals("help")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag: -" + flag + " (expected: a value after it)\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "target" -> target = value;
                case "protocol" -> protocol = value;
                case "signals" -> {
                    List<Signal> list = new ArrayList<>();
                    for (String name : value.split(",")) {
                        list.add(Signal.ofFlag(name.trim()));
                    }
                    signals = EnumSet.copyOf(list);
                }
                case "endpoint" -> endpoint = value;
                case "rate" -> rate = Double.parseDouble(value);
                case "duration" -> duration = duration(value);
                case "workers" -> workers = Integer.parseInt(value);
                case "batch" -> batch = Integer.parseInt(value);
                case "seed" -> seed = Long.parseLong(value);
                case "items" -> items = Long.parseLong(value);
                case "pool" -> pool = Long.parseLong(value);
                case "inflight" -> inflight = Integer.parseInt(value);
                case "id-salt" -> idSalt = Long.parseLong(value);
                case "max-attempts" -> maxAttempts = Integer.parseInt(value);
                case "max-retry-delay" -> maxRetryDelay = duration(value);
                case "report" -> report = Path.of(value);
                case "ack-log" -> ackLog = Path.of(value);
                case "query" -> query = value;
                case "stored-timeout" -> storedTimeout = duration(value);
                case "report-interval" -> reportInterval = duration(value);
                case "time-shift" -> timeShift = duration(value);
                default -> throw new IllegalArgumentException("flag: -" + flag + " (expected: one of these)\n" + USAGE);
            }
        }
        return new LoadOptions(target, protocol, signals, endpoint, rate, duration, workers, batch, seed, max, items,
                pool, inflight, idSalt, maxAttempts, maxRetryDelay, report, ackLog, query, storedTimeout,
                reportInterval, dryRun, timeShift);
    }

    /** Parses {@code 250ms}, {@code 90s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            if (value.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 60_000));
            }
            if (value.endsWith("h")) {
                return Duration.ofMillis((long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 3_600_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration: " + text + " (expected: e.g. 250ms, 90s, 5m, 1h)", e);
        }
    }
}
