package io.otelservices.storage.duckdb;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.otelservices.model.Span;
import io.otelservices.storage.CodePointOrder;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Service statistics from the hourly span statistics ({@link Rollups}): span and error counts, the operation names
 * and the merged duration sketch per service. Each sealed statistics block is read once and kept, parsed, in a
 * cache bounded by bytes: blocks are immutable (compaction and retention give them new ids or remove them), so a
 * day of statistics is merged in Java in a millisecond instead of decoding ~150,000 sketch buckets per query
 * (60 ms at 10^7 spans a day on the development machine).
 */
final class SpanStatistics {

    /** About ten days of statistics of a few dozen services with a few hundred operations. */
    static final long DEFAULT_CACHE_BYTES = 64L << 20;

    /** The running statistics of one service. */
    static final class Accumulator {
        long spans;
        long errors;
        long[] buckets = new long[0]; // count per sketch bucket index (>= 0)
        final TreeSet<String> operations = new TreeSet<>(CodePointOrder.INSTANCE);

        void add(int bucket, long count) {
            if (bucket < 0) {
                throw new IllegalArgumentException("sketch bucket: " + bucket + " (expected: >= 0)");
            }
            if (bucket >= buckets.length) {
                buckets = Arrays.copyOf(buckets, Math.max(bucket + 1, buckets.length * 2));
            }
            buckets[bucket] += count;
        }

        void addAll(Accumulator other) {
            spans += other.spans;
            errors += other.errors;
            if (other.buckets.length > buckets.length) {
                buckets = Arrays.copyOf(buckets, other.buckets.length);
            }
            for (int i = 0; i < other.buckets.length; i++) {
                buckets[i] += other.buckets[i];
            }
            operations.addAll(other.operations);
        }

        /** The value of the nearest-rank {@code q} quantile's sketch bucket: rank {@code ceil(q * n)}. */
        long quantile(double q) {
            long total = 0;
            for (long count : buckets) {
                total += count;
            }
            double rank = Math.ceil(q * total);
            long cumulative = 0;
            for (int i = 0; i < buckets.length; i++) {
                cumulative += buckets[i];
                if (buckets[i] > 0 && cumulative >= rank) {
                    return Math.round(Rollups.sketchValue(i));
                }
            }
            return 0;
        }

        long bytes() {
            long bytes = 96 + buckets.length * 8L;
            for (String operation : operations) {
                bytes += 48 + operation.length() * 2L;
            }
            return bytes;
        }
    }

    /** One block's statistics: per hour, per service. */
    private record BlockStatistics(Map<Long, Map<String, Accumulator>> hours) {
        long bytes() {
            long bytes = 64;
            for (Map<String, Accumulator> services : hours.values()) {
                for (Map.Entry<String, Accumulator> entry : services.entrySet()) {
                    bytes += 48 + entry.getKey().length() * 2L + entry.getValue().bytes();
                }
            }
            return bytes;
        }
    }

    private final TableSources sources;
    private final Cache<Long, BlockStatistics> cache;

    SpanStatistics(TableSources sources, long cacheBytes) {
        this.sources = sources;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((Long id, BlockStatistics block) -> (int) Math.min(Integer.MAX_VALUE, block.bytes()))
                .build();
    }

    /**
     * The merged statistics per service of the sealed hours whose start lies in {@code hours}, from the statistics
     * blocks (the statistics' hot table stays empty).
     */
    Map<String, Accumulator> sealedHours(Connection connection, TimeRange hours) throws SQLException {
        Map<String, Accumulator> merged = new HashMap<>();
        for (BlockCatalog.Block block : BlockCatalog.overlapping(connection, StoredTable.SPAN_STATS_1H, hours)) {
            BlockStatistics statistics = cache.getIfPresent(block.id());
            if (statistics == null) {
                statistics = load(connection, block);
                cache.put(block.id(), statistics);
            }
            for (Map.Entry<Long, Map<String, Accumulator>> hour : statistics.hours().entrySet()) {
                if (hours.contains(hour.getKey())) {
                    for (Map.Entry<String, Accumulator> service : hour.getValue().entrySet()) {
                        merged.computeIfAbsent(service.getKey(), k -> new Accumulator()).addAll(service.getValue());
                    }
                }
            }
        }
        return merged;
    }

    /** Adds the raw spans of {@code range} in {@code relation} to {@code merged}, in the same sketch buckets. */
    static void addRaw(Connection connection, String relation, TimeRange range, Map<String, Accumulator> merged)
            throws SQLException {
        SqlWhere where = new SqlWhere().andWithin("Timestamp", range);
        // One scan: per service, operation and bucket, so that the operation names come along.
        try (PreparedStatement statement = connection.prepareStatement("SELECT ServiceName, SpanName, "
                + Rollups.sketchBucket("Duration") + " AS Bucket, count(*) AS N, count(*) FILTER (WHERE StatusCode = ?) "
                + "AS E FROM " + relation + where + " GROUP BY ALL")) {
            statement.setString(1, Span.StatusCode.ERROR);
            where.bind(statement, 2);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Accumulator service = merged.computeIfAbsent(rs.getString(1), k -> new Accumulator());
                    service.operations.add(rs.getString(2));
                    service.add(rs.getInt(3), rs.getLong(4));
                    service.spans += rs.getLong(4);
                    service.errors += rs.getLong(5);
                }
            }
        }
    }

    /** The answer: per service, sorted by name (code point order, as SQL sorts). */
    static List<ServiceStats> toStats(Map<String, Accumulator> merged) {
        TreeMap<String, Accumulator> sorted = new TreeMap<>(CodePointOrder.INSTANCE);
        sorted.putAll(merged);
        List<ServiceStats> stats = new ArrayList<>(sorted.size());
        for (Map.Entry<String, Accumulator> entry : sorted.entrySet()) {
            Accumulator service = entry.getValue();
            if (service.spans == 0) {
                continue;
            }
            stats.add(new ServiceStats(entry.getKey(), service.spans, service.errors, service.quantile(0.5),
                    service.quantile(0.95), service.quantile(0.99), List.copyOf(service.operations)));
        }
        return stats;
    }

    /**
     * Reads one statistics block: per hour and service, the per-service row (span name {@code NULL}) where the block
     * has one, else the sum of the per-operation rows (blocks sealed before per-service rows existed); operation
     * names from the per-operation rows.
     */
    private BlockStatistics load(Connection connection, BlockCatalog.Block block) throws SQLException {
        Map<Long, Map<String, Accumulator>> perService = new HashMap<>();
        Map<Long, Map<String, Accumulator>> perOperation = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT TimeUnix, ServiceName, SpanName, SpanCount, ErrorCount,
                    list_transform(DurationSketch, lambda b: b.Bucket) AS Buckets,
                    list_transform(DurationSketch, lambda b: b.Count) AS Counts
                FROM %s""".formatted(sources.blocksOnly(StoredTable.SPAN_STATS_1H, List.of(block))));
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String spanName = rs.getString("SpanName");
                Map<Long, Map<String, Accumulator>> target = spanName == null ? perService : perOperation;
                Accumulator service = target.computeIfAbsent(rs.getLong("TimeUnix"), k -> new HashMap<>())
                        .computeIfAbsent(rs.getString("ServiceName"), k -> new Accumulator());
                service.spans += rs.getLong("SpanCount");
                service.errors += rs.getLong("ErrorCount");
                Object[] buckets = elements(rs.getArray("Buckets"));
                Object[] counts = elements(rs.getArray("Counts"));
                for (int i = 0; i < buckets.length; i++) {
                    service.add(((Number) buckets[i]).intValue(), ((Number) counts[i]).longValue());
                }
                if (spanName != null) {
                    service.operations.add(spanName);
                }
            }
        }
        for (Map.Entry<Long, Map<String, Accumulator>> hour : perOperation.entrySet()) {
            Map<String, Accumulator> services = perService.computeIfAbsent(hour.getKey(), k -> new HashMap<>());
            for (Map.Entry<String, Accumulator> operations : hour.getValue().entrySet()) {
                Accumulator service = services.get(operations.getKey());
                if (service == null) {
                    services.put(operations.getKey(), operations.getValue());
                } else {
                    service.operations.addAll(operations.getValue().operations);
                }
            }
        }
        return new BlockStatistics(perService);
    }

    private static Object[] elements(Array array) throws SQLException {
        return array == null ? new Object[0] : (Object[]) array.getArray();
    }
}
