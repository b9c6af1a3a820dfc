package io.otelservices.query.rest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of the result cache for aggregate queries over closed time ranges ({@code POST /api/v1/metrics},
 * {@code GET /api/v1/services/stats}, {@code GET /api/v1/dependencies}; docs/API.md, "Result cache").
 *
 * @param enabled whether responses are cached at all
 * @param ttl how long a response is served from the cache after it was computed: the most a cached answer lags
 *     behind late data
 * @param maxBytes the cache's budget: response bytes plus an estimate for each key; least useful entries go first
 * @param closedGrace a range is closed, and its response cacheable, when it ends at least this long before now
 */
public record QueryCacheConfig(boolean enabled, Duration ttl, long maxBytes, Duration closedGrace) {

    /** The seed's 15-minute TTL, 64 MiB, ranges ending 5 minutes ago or earlier. */
    public static final QueryCacheConfig DEFAULT =
            new QueryCacheConfig(true, Duration.ofMinutes(15), 64L * 1024 * 1024, Duration.ofMinutes(5));

    /** Nothing is cached. */
    public static final QueryCacheConfig DISABLED = DEFAULT.withEnabled(false);

    public QueryCacheConfig {
        requireNonNull(ttl, "ttl");
        requireNonNull(closedGrace, "closedGrace");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0 and <= 365 days)");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        if (closedGrace.isNegative() || closedGrace.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("closedGrace: " + closedGrace + " (expected: >= 0 and <= 365 days)");
        }
    }

    public QueryCacheConfig withEnabled(boolean enabled) {
        return new QueryCacheConfig(enabled, ttl, maxBytes, closedGrace);
    }

    public QueryCacheConfig withTtl(Duration ttl) {
        return new QueryCacheConfig(enabled, ttl, maxBytes, closedGrace);
    }

    public QueryCacheConfig withMaxBytes(long maxBytes) {
        return new QueryCacheConfig(enabled, ttl, maxBytes, closedGrace);
    }

    public QueryCacheConfig withClosedGrace(Duration closedGrace) {
        return new QueryCacheConfig(enabled, ttl, maxBytes, closedGrace);
    }
}
