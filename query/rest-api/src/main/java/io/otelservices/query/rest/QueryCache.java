package io.otelservices.query.rest;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelservices.storage.TimeRange;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Rendered responses of aggregate queries over closed time ranges (DESIGN.md §6), in a Caffeine cache: expired
 * {@link QueryCacheConfig#ttl()} after they were computed, bounded by {@link QueryCacheConfig#maxBytes()}.
 *
 * <ul>
 *   <li>Only a range that ended at least {@link QueryCacheConfig#closedGrace()} ago is cached: data for it may
 *       still arrive late, and the TTL bounds how stale an answer gets.</li>
 *   <li>The key is the query type and the parsed, canonical request (a record with value equality), so that
 *       requests that differ only in spelling (field order, {@code "1m"} or {@code 60}, defaults given or not)
 *       share an entry.</li>
 *   <li>A query in flight is shared by the requests that ask for it meanwhile. A failed query is never kept
 *       (Caffeine drops a future that completes exceptionally), so the next request asks storage again.</li>
 *   <li>Time comes from the API's {@link Clock}, as a Caffeine {@link Ticker}: tests move both the closed-range
 *       rule and expiry without sleeping.</li>
 * </ul>
 *
 * <p>Self-metrics per {@code query_type}: {@code otel.query.cache.hits}, {@code otel.query.cache.misses},
 * {@code otel.query.cache.evictions} (tag {@code cause}: {@code size} or {@code expired}), and the gauge
 * {@code otel.query.cache.bytes}. A disabled cache registers none of them. Thread-safe.
 */
final class QueryCache {

    static final String HITS = "otel.query.cache.hits";
    static final String MISSES = "otel.query.cache.misses";
    static final String EVICTIONS = "otel.query.cache.evictions";
    static final String BYTES = "otel.query.cache.bytes";
    static final String CAUSE_TAG = "cause";

    private static final String EVICTIONS_DESCRIPTION =
            "Responses dropped from the result cache: size, to stay within max_bytes; expired, after the ttl";

    /** The query types whose responses may be cached. */
    static final List<QueryType> CACHEABLE = List.of(QueryType.METRICS, QueryType.SERVICE_STATS,
            QueryType.DEPENDENCIES);

    /** Estimated bytes of an entry beyond its response and key text (objects, references, Caffeine's node). */
    private static final int ENTRY_OVERHEAD_BYTES = 128;

    /** What identifies a response: the endpoint and its canonical request. */
    private record Key(QueryType type, Object request) {}

    private final Clock clock;
    private final long closedGraceNanos;
    private final AsyncCache<Key, byte[]> cache; // null when disabled
    private final Map<QueryType, Counter> hits = new EnumMap<>(QueryType.class);
    private final Map<QueryType, Counter> misses = new EnumMap<>(QueryType.class);
    private final Map<QueryType, Counter> sizeEvictions = new EnumMap<>(QueryType.class);
    private final Map<QueryType, Counter> expiryEvictions = new EnumMap<>(QueryType.class);

    QueryCache(QueryCacheConfig config, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        closedGraceNanos = config.closedGrace().toNanos();
        if (!config.enabled()) {
            cache = null;
            return;
        }
        for (QueryType type : CACHEABLE) {
            hits.put(type, counter(meters, HITS, "Aggregate queries answered from the result cache", type, null));
            misses.put(type, counter(meters, MISSES,
                    "Aggregate queries over closed ranges that the result cache did not hold", type, null));
            sizeEvictions.put(type, counter(meters, EVICTIONS, EVICTIONS_DESCRIPTION, type, RemovalCause.SIZE));
            expiryEvictions.put(type, counter(meters, EVICTIONS, EVICTIONS_DESCRIPTION, type, RemovalCause.EXPIRED));
        }
        // Relative to now, so that Caffeine's arithmetic on ticker values stays far from overflow.
        long origin = Timestamps.now(clock);
        Ticker ticker = () -> Timestamps.now(clock) - origin;
        cache = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                .weigher(QueryCache::weigh)
                .expireAfterWrite(config.ttl())
                .ticker(ticker)
                // Maintenance and the listener are a few counter increments: run them on the calling thread.
                .executor(Runnable::run)
                .evictionListener((Key key, byte[] value, RemovalCause cause) -> evicted(key, cause))
                .buildAsync();
        Gauge.builder(BYTES, cache, QueryCache::weightedSize)
                .description("Estimated bytes held by the result cache (responses and keys)")
                .baseUnit("bytes")
                .register(meters);
    }

    private static Counter counter(MeterRegistry meters, String name, String description, QueryType type,
                                   RemovalCause cause) {
        Counter.Builder builder = Counter.builder(name).description(description)
                .tag(QueryMetrics.QUERY_TYPE_TAG, type.tagValue());
        if (cause != null) {
            builder.tag(CAUSE_TAG, cause.name().toLowerCase(Locale.ROOT));
        }
        return builder.register(meters);
    }

    /**
     * The response of {@code request}: from the cache when it holds one, else from {@code query}, which is cached
     * when {@code range} is closed and it succeeds. Called on the event loop; never blocks.
     *
     * @param request the parsed request with every default applied; equal requests must give equal responses
     * @param range the time range the request asks about
     */
    CompletableFuture<byte[]> get(QueryType type, Object request, TimeRange range,
                                  Supplier<CompletableFuture<byte[]>> query) {
        if (cache == null || !isClosed(range)) {
            return query.get();
        }
        boolean[] computed = new boolean[1];
        Key cacheKey = new Key(type, request);
        // The mapping function runs on this thread, inside the call, when the key is absent.
        CompletableFuture<byte[]> response = cache.get(cacheKey, (key, executor) -> {
            computed[0] = true;
            return query.get();
        });
        (computed[0] ? misses : hits).get(type).increment();
        // Caffeine drops a failed future too, but from a callback that may run after the caller has answered; a
        // request right behind would then share the failure. Removed here first, before anyone sees the failure.
        return response.whenComplete((bytes, failure) -> {
            if (failure != null) {
                cache.asMap().remove(cacheKey, response);
            }
        });
    }

    /** Whether no more data is expected for {@code range}: it ended at least the closed grace before now. */
    boolean isClosed(TimeRange range) {
        long now = Timestamps.now(clock);
        return range.endNanos() <= now - closedGraceNanos;
    }

    /** Runs Caffeine's pending maintenance (expiry, eviction) now; for tests. */
    void cleanUp() {
        if (cache != null) {
            cache.synchronous().cleanUp();
        }
    }

    private void evicted(Key key, RemovalCause cause) {
        Counter counter = switch (cause) {
            case SIZE -> sizeEvictions.get(key.type());
            case EXPIRED -> expiryEvictions.get(key.type());
            default -> null; // COLLECTED needs weak or soft references, which this cache does not use
        };
        if (counter != null) {
            counter.increment();
        }
    }

    private static int weigh(Key key, byte[] response) {
        long bytes = ENTRY_OVERHEAD_BYTES + 2L * key.toString().length() + response.length;
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    private static double weightedSize(AsyncCache<Key, byte[]> cache) {
        return cache.synchronous().policy().eviction().map(eviction -> eviction.weightedSize().orElse(0))
                .orElse(0L);
    }
}
