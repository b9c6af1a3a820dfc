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
 * @param zstdLevel the ZSTD level of sealed blocks (1-22)
 */
public record BlockPolicy(
        Clock clock,
        Duration sealGrace,
        Duration maintenanceInterval,
        Duration traceRetention,
        Duration logRetention,
        Duration metricRetention,
        int zstdLevel) {

    public static final Duration DEFAULT_SEAL_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofMinutes(1);
    /** The seed's raw tier: 30 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    /** The defaults, on the system clock. */
    public static final BlockPolicy DEFAULT = new BlockPolicy(Clock.systemUTC(), DEFAULT_SEAL_GRACE,
            DEFAULT_MAINTENANCE_INTERVAL, DEFAULT_RETENTION, DEFAULT_RETENTION, DEFAULT_RETENTION,
            DEFAULT_ZSTD_LEVEL);

    public BlockPolicy {
        requireNonNull(clock, "clock");
        requireNonNegative("sealGrace", sealGrace);
        requireNonNegative("maintenanceInterval", maintenanceInterval);
        requirePositive("traceRetention", traceRetention);
        requirePositive("logRetention", logRetention);
        requirePositive("metricRetention", metricRetention);
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel: " + zstdLevel + " (expected: 1 to 22)");
        }
    }

    /** How long partitions of {@code kind} are kept. */
    Duration retention(StoredTable.Kind kind) {
        return switch (kind) {
            case TRACES -> traceRetention;
            case LOGS -> logRetention;
            case METRICS -> metricRetention;
        };
    }

    public BlockPolicy withClock(Clock clock) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                zstdLevel);
    }

    public BlockPolicy withMaintenanceInterval(Duration maintenanceInterval) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                zstdLevel);
    }

    public BlockPolicy withRetention(Duration traces, Duration logs, Duration metrics) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traces, logs, metrics, zstdLevel);
    }

    public BlockPolicy withSealGrace(Duration sealGrace) {
        return new BlockPolicy(clock, sealGrace, maintenanceInterval, traceRetention, logRetention, metricRetention,
                zstdLevel);
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
