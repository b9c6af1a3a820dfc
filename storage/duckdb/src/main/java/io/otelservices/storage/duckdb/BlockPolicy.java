package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * When hot rows are sealed into blocks and when blocks are dropped.
 *
 * <p>A block is one sorted ZSTD Parquet file holding one table's rows of one hour. Rows are sealed once their hour
 * ended {@code sealGrace} ago (late rows of a sealed hour become another block of that hour at the next run). A
 * partition ({@link StoredTable.Kind#partition()}: an hour of traces, a day of logs or metrics) is dropped whole,
 * all its blocks at once, when it ended more than its retention ago.
 *
 * @param clock the time that sealing and retention go by; tests pass a fixed or stepping clock
 * @param sealGrace how long after an hour ends its rows are sealed
 * @param maintenanceInterval how often sealing and retention run in the background; {@link Duration#ZERO} runs them
 *     only when called ({@link DuckDbStorage#runMaintenance()})
 * @param traceRetention how long trace partitions are kept
 * @param logRetention how long log partitions are kept
 * @param metricRetention how long raw metric partitions are kept
 * @param rollup5mRetention how long 5-minute metric rollups are kept
 * @param rollup1hRetention how long hourly rollups (metrics, span statistics, dependencies) are kept
 * @param zstdLevel the ZSTD level of sealed blocks (1-22)
 * @param coldAfter how long after a partition ends its blocks move to the cold tier (object storage, see
 *     {@link DuckDbConfig#coldTier()}); {@code null} keeps every block local
 */
public record BlockPolicy(
        Clock clock,
        Duration sealGrace,
        Duration maintenanceInterval,
        Duration traceRetention,
        Duration logRetention,
        Duration metricRetention,
        Duration rollup5mRetention,
        Duration rollup1hRetention,
        int zstdLevel,
        Duration coldAfter) {

    public static final Duration DEFAULT_SEAL_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofMinutes(1);
    /** The seed's raw tier: 30 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    /** The seed's 5-minute tier: 90 days. */
    public static final Duration DEFAULT_ROLLUP_5M_RETENTION = Duration.ofDays(90);
    /** The seed's 1-hour tier: a year. */
    public static final Duration DEFAULT_ROLLUP_1H_RETENTION = Duration.ofDays(365);
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    /** The defaults, on the system clock; no cold tier. */
    public static final BlockPolicy DEFAULT = new BlockPolicy(Clock.systemUTC(), DEFAULT_SEAL_GRACE,
            DEFAULT_MAINTENANCE_INTERVAL, DEFAULT_RETENTION, DEFAULT_RETENTION, DEFAULT_RETENTION,
            DEFAULT_ROLLUP_5M_RETENTION, DEFAULT_ROLLUP_1H_RETENTION, DEFAULT_ZSTD_LEVEL, null);

    public BlockPolicy {
        requireNonNull(clock, "clock");
        requireNonNegative("sealGrace", sealGrace);
        requireNonNegative("maintenanceInterval", maintenanceInterval);
        requirePositive("traceRetention", traceRetention);
        requirePositive("logRetention", logRetention);
        requirePositive("metricRetention", metricRetention);
        requirePositive("rollup5mRetention", rollup5mRetention);
        requirePositive("rollup1hRetention", rollup1hRetention);
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel: " + zstdLevel + " (expected: 1 to 22)");
        }
        if (coldAfter != null) {
            requireNonNegative("coldAfter", coldAfter);
        }
    }

    /** How long partitions of {@code kind} are kept. */
    Duration retention(StoredTable.Kind kind) {
        return switch (kind) {
            case TRACES -> traceRetention;
            case LOGS -> logRetention;
            case METRICS -> metricRetention;
            case ROLLUP_5M -> rollup5mRetention;
            case ROLLUP_1H -> rollup1hRetention;
        };
    }

    public BlockPolicy withClock(Clock clock) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                rollup5mRetention, rollup1hRetention, zstdLevel, coldAfter);
    }

    public BlockPolicy withMaintenanceInterval(Duration maintenanceInterval) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                rollup5mRetention, rollup1hRetention, zstdLevel, coldAfter);
    }

    public BlockPolicy withRetention(Duration traces, Duration logs, Duration metrics) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traces, logs, metrics, rollup5mRetention,
                rollup1hRetention, zstdLevel, coldAfter);
    }

    public BlockPolicy withRollupRetention(Duration fiveMinutes, Duration oneHour) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                fiveMinutes, oneHour, zstdLevel, coldAfter);
    }

    public BlockPolicy withSealGrace(Duration sealGrace) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                rollup5mRetention, rollup1hRetention, zstdLevel, coldAfter);
    }

    /** A copy whose blocks move to the cold tier {@code coldAfter} after their partition ends; {@code null}: never. */
    public BlockPolicy withColdAfter(Duration coldAfter) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                rollup5mRetention, rollup1hRetention, zstdLevel, coldAfter);
    }

    private static void requireNonNegative(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
