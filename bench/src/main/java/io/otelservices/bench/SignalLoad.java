package io.otelservices.bench;

import io.otelservices.bench.ExportClient.ExportResult;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load of one signal: its request pool, its workers' send loops and its counters.
 *
 * <p>Open loop (default): worker {@code i} of {@code n} sends on a fixed schedule, request after request, at
 * {@code rate / n} items per second, offset by {@code i} request intervals so that the signal's stream is even. A
 * send whose time has come waits for one of the worker's {@code -inflight} slots; latency runs from the scheduled
 * time, so a server that falls behind shows as latency (no coordinated omission), and a late worker sends its
 * overdue requests at once. Closed loop ({@code -max}): each worker keeps {@code -inflight} requests in flight and
 * latency runs from the actual send.
 *
 * <p>A retryable answer counts as refused and the request is sent again after the server's hint, or after an
 * exponential backoff (1 s, x1.5) without one, both capped by {@code -max-retry-delay}, up to {@code -max-attempts};
 * it keeps its slot meanwhile, like an OTel SDK exporter. Counters are thread-safe.
 */
final class SignalLoad {

    final Signal signal;
    final RequestPool pool;
    final int workers;
    private final LoadOptions options;
    private final ExportClient client;
    private final ScheduledExecutorService retries;
    private final AckLog ackLog;
    private final long requestLimit;
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    final LongAdder requestsSent = new LongAdder();
    final LongAdder itemsSent = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder acknowledgedRequests = new LongAdder();
    final LongAdder acknowledgedItems = new LongAdder();
    final LongAdder rejectedItems = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder transportErrors = new LongAdder();
    final LongAdder failedRequests = new LongAdder();
    final LongAdder failedItems = new LongAdder();
    final AtomicLong lastAcknowledgedNanos = new AtomicLong();
    volatile String lastError;
    /** Request latency in microseconds, from the scheduled (open loop) or actual (closed loop) send. */
    final Recorder latency = new Recorder(3_600_000_000L, 3);
    final Histogram totalLatency = new Histogram(3_600_000_000L, 3);

    SignalLoad(Signal signal, RequestPool pool, int workers, LoadOptions options, ExportClient client,
            ScheduledExecutorService retries, AckLog ackLog) {
        this.signal = signal;
        this.pool = pool;
        this.workers = workers;
        this.options = options;
        this.client = client;
        this.retries = retries;
        this.ackLog = ackLog;
        this.requestLimit = requestLimit(pool.requests, options.items());
    }

    /** How many requests (pool cycles included) carry the first {@code items} items; MAX_VALUE for no limit. */
    private static long requestLimit(List<GeneratedRequest> requests, long items) {
        if (items == 0) {
            return Long.MAX_VALUE;
        }
        long poolItems = 0;
        for (GeneratedRequest request : requests) {
            poolItems += request.items();
        }
        long fullCycles = (items - 1) / poolItems;
        long remaining = items - fullCycles * poolItems;
        long count = 0;
        for (GeneratedRequest request : requests) {
            count++;
            remaining -= request.items();
            if (remaining <= 0) {
                break;
            }
        }
        return fullCycles * requests.size() + count;
    }

    /** Worker {@code index}'s send loop; returns when the duration or item limit is reached. */
    void runWorker(int index, long startNanos, long endNanos) throws InterruptedException {
        Semaphore slots = new Semaphore(options.inflight());
        double itemsPerSecond = options.ratePerSignal() / workers;
        double averageItems = (double) pool.items / pool.requests.size();
        long phaseNanos = (long) (index * averageItems / options.ratePerSignal() * 1e9);
        long workerItems = 0;
        int size = pool.requests.size();
        while (true) {
            long scheduled;
            if (options.max()) {
                slots.acquire();
                scheduled = System.nanoTime();
                if (scheduled >= endNanos) {
                    slots.release();
                    return;
                }
            } else {
                scheduled = startNanos + phaseNanos + (long) (workerItems * 1e9 / itemsPerSecond);
                if (scheduled >= endNanos) {
                    return;
                }
                for (long wait; (wait = scheduled - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                }
                slots.acquire();
            }
            long sequence = nextSequence.getAndIncrement();
            if (sequence >= requestLimit) {
                slots.release();
                return;
            }
            GeneratedRequest request = pool.requests.get((int) (sequence % size));
            long salt = GeneratedRequest.salt(options.idSalt(), sequence / size);
            workerItems += request.items();
            requestsSent.increment();
            itemsSent.add(request.items());
            inFlight.incrementAndGet();
            send(request, request.body(salt), salt, scheduled, 1, slots);
        }
    }

    private void send(GeneratedRequest request, byte[] body, long salt, long scheduledNanos, int attempt,
            Semaphore slots) {
        attempts.increment();
        bytesSent.add(body.length);
        client.export(signal, body).thenAccept(result -> {
            switch (result.outcome()) {
                case ACCEPTED -> {
                    long now = System.nanoTime();
                    latency.recordValue(Math.max(1, (now - scheduledNanos) / 1_000L));
                    acknowledgedRequests.increment();
                    acknowledgedItems.add(request.items() - result.rejectedItems());
                    rejectedItems.add(result.rejectedItems());
                    lastAcknowledgedNanos.accumulateAndGet(now, Math::max);
                    if (ackLog != null) {
                        ackLog.acknowledged(request, salt, attempt);
                    }
                    done(slots);
                }
                case REFUSED, TRANSPORT -> {
                    (result.outcome() == ExportResult.Outcome.REFUSED ? refused : transportErrors).increment();
                    lastError = result.detail();
                    if (attempt >= options.maxAttempts()) {
                        fail(request, slots);
                        return;
                    }
                    long capMillis = options.maxRetryDelay().toMillis();
                    long delayMillis = result.retryDelayMillis() >= 0
                            ? Math.min(result.retryDelayMillis(), capMillis)
                            : Math.min(capMillis, (long) (1000 * Math.pow(1.5, attempt - 1)
                                    * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
                    retries.schedule(() -> send(request, body, salt, scheduledNanos, attempt + 1, slots),
                            delayMillis, TimeUnit.MILLISECONDS);
                }
                case FAILED -> {
                    lastError = result.detail();
                    fail(request, slots);
                }
            }
        });
    }

    private void fail(GeneratedRequest request, Semaphore slots) {
        failedRequests.increment();
        failedItems.add(request.items());
        done(slots);
    }

    private void done(Semaphore slots) {
        inFlight.decrementAndGet();
        slots.release();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Moves the interval's latencies into the total and returns them. */
    synchronized Histogram intervalLatency() {
        Histogram interval = latency.getIntervalHistogram();
        totalLatency.add(interval);
        return interval;
    }
}
