package io.otelservices.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelservices.model.MetricType;
import io.otelservices.storage.TimeRange;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The result cache over a real server: which requests it answers, that it never asks storage for a cached answer,
 * expiry on the API's clock, and its self-metrics. Each test has a server (and a cache) of its own, at
 * {@link Fixtures#NOW}.
 */
class QueryCacheTest {

    private static final Duration TTL = QueryCacheConfig.DEFAULT.ttl();
    /** A closed range: it ended an hour before now. */
    private static final String CLOSED = "start_time=2024-05-01T10:00:00Z&end_time=2024-05-01T11:00:00Z";
    private static final String CLOSED_METRICS = "{\"metric_name\": \"http.requests\", \"start_time\": "
            + "\"2024-05-01T10:00:00Z\", \"end_time\": \"2024-05-01T11:00:00Z\", \"step\": \"5m\"}";

    private final MutableClock clock = new MutableClock(Fixtures.NOW);

    @RegisterExtension
    final ApiTestServer server = new ApiTestServer(clock, QueryCacheConfig.DEFAULT);

    @BeforeEach
    void loadFixtures() {
        server.loadFixtures();
        server.storage.series.add(Fixtures.series(MetricType.GAUGE, "http.requests", Map.of("route", "/a"),
                Fixtures.point(Fixtures.NOW_NANOS - 90 * Fixtures.MINUTE, Fixtures.gauge(3))));
        server.storage.series.add(Fixtures.series(MetricType.GAUGE, "cpu", Map.of(),
                Fixtures.point(Fixtures.NOW_NANOS - 90 * Fixtures.MINUTE, Fixtures.gauge(0.5))));
    }

    private int reads() {
        return server.storage.reads.get();
    }

    private double count(String name, QueryType type) {
        Counter counter = server.meters.find(name).tag(QueryMetrics.QUERY_TYPE_TAG, type.tagValue()).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void metrics_closedRangeAskedTwice_secondFromCacheWithSameBytes() {
        double hits = count(QueryCache.HITS, QueryType.METRICS);
        double misses = count(QueryCache.MISSES, QueryType.METRICS);

        ApiTestServer.Response first = server.post("/api/v1/metrics", CLOSED_METRICS);
        ApiTestServer.Response second = server.post("/api/v1/metrics", CLOSED_METRICS);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("series")).hasSize(1);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(reads()).isEqualTo(1);
        assertThat(count(QueryCache.MISSES, QueryType.METRICS)).isEqualTo(misses + 1);
        assertThat(count(QueryCache.HITS, QueryType.METRICS)).isEqualTo(hits + 1);
    }

    @Test
    void metrics_equivalentRequests_shareOneEntry() {
        server.post("/api/v1/metrics", "{\"metric_name\": \"http.requests\", \"end_time\": \"2024-05-01T11:00:00Z\","
                + " \"attributes\": {\"route\": \"/a\", \"code\": 200}, \"aggregation\": \"max\", \"step\": 300}");
        // Same query: start given explicitly (the default is the hour before end_time), fields and attributes in
        // another order, the step as a duration, the aggregation in upper case, a time with an offset.
        ApiTestServer.Response same = server.post("/api/v1/metrics", "{\"step\": \"5m\", \"aggregation\": \"MAX\","
                + " \"attributes\": {\"code\": 200, \"route\": \"/a\"}, \"start_time\": \"2024-05-01T12:00:00+02:00\","
                + " \"end_time\": \"2024-05-01T11:00:00Z\", \"metric_name\": \"http.requests\"}");

        assertThat(same.status()).isEqualTo(200);
        assertThat(reads()).isEqualTo(1);
    }

    @Test
    void differentRequests_doNotCollide() {
        String stats = server.get("/api/v1/services/stats?" + CLOSED).body();
        String dependencies = server.get("/api/v1/dependencies?" + CLOSED).body();
        String metrics = server.post("/api/v1/metrics", CLOSED_METRICS).body();
        String otherMetric = server.post("/api/v1/metrics", CLOSED_METRICS.replace("http.requests", "cpu")).body();
        String otherStep = server.post("/api/v1/metrics", CLOSED_METRICS.replace("5m", "10m")).body();
        String otherRange = server.get("/api/v1/dependencies?start_time=2024-05-01T10:00:00Z"
                + "&end_time=2024-05-01T10:30:00Z").body();
        int readsAfterFirstRound = reads();

        assertThat(readsAfterFirstRound).isEqualTo(2 + 1 + 3 + 1); // stats read spans and logs
        assertThat(stats).contains("\"services\"");
        assertThat(dependencies).contains("\"dependencies\"");
        assertThat(otherMetric).isNotEqualTo(metrics).contains("\"cpu\"");
        assertThat(otherStep).isNotEqualTo(metrics).contains("\"step_seconds\":600");
        assertThat(otherRange).isNotEqualTo(dependencies);

        // Each is cached under its own key.
        assertThat(server.get("/api/v1/services/stats?" + CLOSED).body()).isEqualTo(stats);
        assertThat(server.get("/api/v1/dependencies?" + CLOSED).body()).isEqualTo(dependencies);
        assertThat(server.post("/api/v1/metrics", CLOSED_METRICS.replace("http.requests", "cpu")).body())
                .isEqualTo(otherMetric);
        assertThat(reads()).isEqualTo(readsAfterFirstRound);
    }

    @Test
    void openRange_neverCached() {
        server.get("/api/v1/dependencies");
        server.get("/api/v1/dependencies");
        server.get("/api/v1/services/stats");
        server.get("/api/v1/services/stats");
        assertThat(reads()).isEqualTo(1 + 1 + 2 + 2);

        // Within the grace (ends 4m59s ago): still open. At the grace (ends 5m ago): closed.
        String insideGrace = "/api/v1/dependencies?start_time=2024-05-01T11:00:00Z&end_time=2024-05-01T11:55:01Z";
        String atGrace = "/api/v1/dependencies?start_time=2024-05-01T11:00:00Z&end_time=2024-05-01T11:55:00Z";
        server.get(insideGrace);
        server.get(insideGrace);
        assertThat(reads()).isEqualTo(6 + 2);
        server.get(atGrace);
        server.get(atGrace);
        assertThat(reads()).isEqualTo(8 + 1);
    }

    @Test
    void cachedResponse_expiresAfterTtl() {
        String path = "/api/v1/dependencies?" + CLOSED;
        server.get(path);
        awaitWriteTimeRecorded();
        double expired = server.meters.find(QueryCache.EVICTIONS).tag(QueryMetrics.QUERY_TYPE_TAG, "dependencies")
                .tag(QueryCache.CAUSE_TAG, "expired").counter().count();

        clock.advance(TTL.minusNanos(1));
        server.get(path);
        assertThat(reads()).isEqualTo(1);

        clock.advance(Duration.ofNanos(1));
        ApiTestServer.Response fresh = server.get(path);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(reads()).isEqualTo(2);
        assertThat(server.meters.find(QueryCache.EVICTIONS).tag(QueryMetrics.QUERY_TYPE_TAG, "dependencies")
                .tag(QueryCache.CAUSE_TAG, "expired").counter().count()).isEqualTo(expired + 1);
        awaitWriteTimeRecorded();

        // Cached again, from the new answer's time on.
        clock.advance(TTL.minusNanos(1));
        server.get(path);
        assertThat(reads()).isEqualTo(2);
    }

    /**
     * Caffeine dates an asynchronously computed entry when its future completes, in a callback that may run just
     * after the response reached the client; the fake clock must not move before that.
     */
    private static void awaitWriteTimeRecorded() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void failedQuery_notCached() {
        String path = "/api/v1/services/stats?" + CLOSED;
        server.storage.failure = new IllegalStateException("disk on fire");
        assertThat(server.get(path).status()).isEqualTo(500);
        server.storage.failure = new FakeStorage.OverCapacityException("queue full");
        assertThat(server.get(path).status()).isEqualTo(503);
        int readsWhileFailing = reads();

        server.storage.failure = null;
        ApiTestServer.Response ok = server.get(path);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(reads()).isEqualTo(readsWhileFailing + 2);
        assertThat(server.get(path).body()).isEqualTo(ok.body());
        assertThat(reads()).isEqualTo(readsWhileFailing + 2);
    }

    @Test
    void badRequest_neverReachesCacheOrStorage() {
        double misses = count(QueryCache.MISSES, QueryType.METRICS);

        ApiTestServer.Response response = server.post("/api/v1/metrics", CLOSED_METRICS.replace("5m", "0s"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(reads()).isZero();
        assertThat(count(QueryCache.MISSES, QueryType.METRICS)).isEqualTo(misses);
    }

    @Test
    void meters_registeredUpFront_forCacheableQueryTypes() {
        for (QueryType type : QueryCache.CACHEABLE) {
            assertThat(count(QueryCache.HITS, type)).as(type.tagValue()).isGreaterThanOrEqualTo(0);
            assertThat(count(QueryCache.MISSES, type)).as(type.tagValue()).isGreaterThanOrEqualTo(0);
            assertThat(server.meters.find(QueryCache.EVICTIONS).tag(QueryMetrics.QUERY_TYPE_TAG, type.tagValue())
                    .counters()).hasSize(2);
        }
        assertThat(count(QueryCache.HITS, QueryType.TRACES)).isEqualTo(-1);
        assertThat(server.meters.find(QueryCache.BYTES).gauge()).isNotNull();
    }

    // --- the cache alone, without a server

    @Test
    void cache_overBudget_evictsBySize() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        QueryCache cache = new QueryCache(QueryCacheConfig.DEFAULT.withMaxBytes(4096), clock, meters);
        TimeRange closed = new TimeRange(0, 1);
        for (int i = 0; i < 20; i++) {
            byte[] response = new byte[1000];
            assertThat(cache.get(QueryType.DEPENDENCIES, i, closed,
                    () -> CompletableFuture.completedFuture(response)).join()).isSameAs(response);
        }
        cache.cleanUp();

        double evicted = meters.find(QueryCache.EVICTIONS).tag(QueryCache.CAUSE_TAG, "size")
                .tag(QueryMetrics.QUERY_TYPE_TAG, "dependencies").counter().count();
        Gauge bytes = meters.find(QueryCache.BYTES).gauge();
        assertThat(evicted).isGreaterThanOrEqualTo(16);
        assertThat(bytes.value()).isBetween(1.0, 4096.0);
    }

    @Test
    void cache_disabled_alwaysAsksAndRegistersNoMeters() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        QueryCache cache = new QueryCache(QueryCacheConfig.DISABLED, clock, meters);
        int[] calls = new int[1];
        for (int i = 0; i < 3; i++) {
            cache.get(QueryType.METRICS, "same", new TimeRange(0, 1), () -> {
                calls[0]++;
                return CompletableFuture.completedFuture(new byte[1]);
            }).join();
        }

        assertThat(calls[0]).isEqualTo(3);
        assertThat(meters.getMeters()).isEmpty();
    }

    @Test
    void isClosed_endAtLeastGraceBeforeNow() {
        QueryCache cache = new QueryCache(QueryCacheConfig.DEFAULT.withClosedGrace(Duration.ofMinutes(1)), clock,
                new SimpleMeterRegistry());
        long oneMinuteAgo = Fixtures.NOW_NANOS - Fixtures.MINUTE;

        assertThat(cache.isClosed(new TimeRange(0, oneMinuteAgo))).isTrue();
        assertThat(cache.isClosed(new TimeRange(0, oneMinuteAgo + 1))).isFalse();
        assertThat(cache.isClosed(new TimeRange(0, Long.MAX_VALUE))).isFalse();
    }
}
