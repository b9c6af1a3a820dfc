package io.otelservices.storage.duckdb;

import io.otelservices.model.MetricType;
import java.time.Duration;

/**
 * Each hot table of {@link DuckDbSchema} with what sealing needs to know about it: its time column, the sort order
 * and row-group size of its sealed blocks, and which retention class it belongs to.
 *
 * <p>Spans and metrics are sorted by service (or metric), then name, then time: Parquet row-group statistics prune
 * the common filters, and rows of one service compress together (22 B per span against 42 B sorted by trace id,
 * docs/BENCHMARKS.md). Log records are sorted newest first in small row groups instead: a log search wants the newest
 * N matching records, and DuckDB's top-N pushes a "newer than the N-th" filter into the scan that then skips every
 * older row group by its statistics (a search over an hour of 300,000 records: 35-45 ms against 60-190 ms sorted by
 * service, for 8 % more bytes).
 */
enum StoredTable {
    TRACES(DuckDbSchema.TRACES, "Timestamp", "ServiceName, SpanName, Timestamp", Kind.TRACES),
    LOGS(DuckDbSchema.LOGS, "Timestamp", "Timestamp DESC, ServiceName", Kind.LOGS, 16_384),
    METRICS_GAUGE(MetricType.GAUGE),
    METRICS_SUM(MetricType.SUM),
    METRICS_HISTOGRAM(MetricType.HISTOGRAM),
    METRICS_EXPONENTIAL_HISTOGRAM(MetricType.EXPONENTIAL_HISTOGRAM),
    METRICS_SUMMARY(MetricType.SUMMARY),
    // Rollups (Rollups): written only as blocks, when raw hours are sealed; their "hot" tables stay empty.
    METRICS_ROLLUP_5M(Rollups.METRICS_5M, "TimeUnix", "MetricName, ServiceName, TimeUnix", Kind.ROLLUP_5M),
    METRICS_ROLLUP_1H(Rollups.METRICS_1H, "TimeUnix", "MetricName, ServiceName, TimeUnix", Kind.ROLLUP_1H),
    SPAN_STATS_1H(Rollups.SPAN_STATS_1H, "TimeUnix", "ServiceName, SpanName NULLS FIRST, SpanKind, TimeUnix",
            Kind.ROLLUP_1H),
    DEPENDENCIES_1H(Rollups.DEPENDENCIES_1H, "TimeUnix", "Parent, Child, TimeUnix", Kind.ROLLUP_1H);

    /** A metric row's series identity: 63 bits of DuckDB's hash of it, so that it fits a BIGINT. */
    static final String SERIES_HASH = "(hash(MetricName, MetricUnit, ServiceName, ResourceAttributes, ScopeName, "
            + "ScopeVersion, Attributes) >> 1)::BIGINT";
    /** A second hash of the identity (columns in another order): two identities sharing the first differ here. */
    static final String CHECK_HASH = "(hash(Attributes, ScopeVersion, ScopeName, ResourceAttributes, ServiceName, "
            + "MetricUnit, MetricName) >> 1)::BIGINT";

    /** DuckDB's own default. */
    private static final int DEFAULT_ROW_GROUP_ROWS = 122_880;

    /** Retention and partitioning classes. */
    enum Kind {
        /** Partitions of one hour: trace queries are narrow in time and the seed partitions traces hourly. */
        TRACES(Duration.ofHours(1)),
        /** Partitions of one day (seed), each holding the hourly blocks of that day. */
        LOGS(Duration.ofDays(1)),
        METRICS(Duration.ofDays(1)),
        /** 5-minute rollups (seed: kept 90 days), daily partitions. */
        ROLLUP_5M(Duration.ofDays(1)),
        /** Hourly rollups, span statistics and dependencies (seed: kept a year), daily partitions. */
        ROLLUP_1H(Duration.ofDays(1));

        private final Duration partition;

        Kind(Duration partition) {
            this.partition = partition;
        }

        /** The width of one partition: the unit that retention drops. */
        Duration partition() {
            return partition;
        }
    }

    private final String table;
    private final String timeColumn;
    private final String sortColumns;
    private final Kind kind;
    private final int rowGroupRows;

    StoredTable(String table, String timeColumn, String sortColumns, Kind kind) {
        this(table, timeColumn, sortColumns, kind, DEFAULT_ROW_GROUP_ROWS);
    }

    StoredTable(String table, String timeColumn, String sortColumns, Kind kind, int rowGroupRows) {
        this.table = table;
        this.timeColumn = timeColumn;
        this.sortColumns = sortColumns;
        this.kind = kind;
        this.rowGroupRows = rowGroupRows;
    }

    StoredTable(MetricType type) {
        this(type.tableName(), "TimeUnix", "MetricName, ServiceName, SeriesHash, TimeUnix", Kind.METRICS);
    }

    /** The hot table's name, also the logical name readers use. */
    String table() {
        return table;
    }

    /** The column (Unix epoch nanoseconds) that places a row in a block and a partition. */
    String timeColumn() {
        return timeColumn;
    }

    /** {@code ORDER BY} list of a sealed block. */
    String sortColumns() {
        return sortColumns;
    }

    /**
     * The rows of {@code source} as a block holds them. Raw metric blocks add each row's series identity as two
     * hashes ({@link #SERIES_HASH}, {@link #CHECK_HASH}), computed once at sealing: queries then group points by
     * series without hashing attribute maps per point (0.9 µs a row), and the block sorts each series' points
     * together. Hashes already in {@code source} (blocks being compacted) are computed again, so that blocks written
     * before the columns existed get them too.
     */
    String blockSelect(String source) {
        if (kind != Kind.METRICS) {
            return "SELECT * FROM " + source;
        }
        return "SELECT COLUMNS(lambda c: c NOT IN ('SeriesHash', 'CheckHash')), " + SERIES_HASH + " AS SeriesHash, "
                + CHECK_HASH + " AS CheckHash FROM " + source;
    }

    /** The hot table as a relation with the columns blocks add ({@link #blockSelect}), {@code NULL} there. */
    String hotRelation() {
        return kind == Kind.METRICS
                ? "(SELECT *, NULL::BIGINT AS SeriesHash, NULL::BIGINT AS CheckHash FROM " + table + ")"
                : table;
    }

    /** Rows per Parquet row group of a sealed block. */
    int rowGroupRows() {
        return rowGroupRows;
    }

    Kind kind() {
        return kind;
    }

    /** Whether ingest writes rows into this table (raw data), as opposed to a rollup made at sealing. */
    boolean hot() {
        return kind == Kind.TRACES || kind == Kind.LOGS || kind == Kind.METRICS;
    }

    /** The metric point type of a raw metrics table. */
    MetricType metricType() {
        return switch (this) {
            case METRICS_GAUGE -> MetricType.GAUGE;
            case METRICS_SUM -> MetricType.SUM;
            case METRICS_HISTOGRAM -> MetricType.HISTOGRAM;
            case METRICS_EXPONENTIAL_HISTOGRAM -> MetricType.EXPONENTIAL_HISTOGRAM;
            case METRICS_SUMMARY -> MetricType.SUMMARY;
            default -> throw new IllegalStateException(table + " is not a raw metrics table");
        };
    }

    /** The table that holds {@code type}'s points. */
    static StoredTable of(MetricType type) {
        return switch (type) {
            case GAUGE -> METRICS_GAUGE;
            case SUM -> METRICS_SUM;
            case HISTOGRAM -> METRICS_HISTOGRAM;
            case EXPONENTIAL_HISTOGRAM -> METRICS_EXPONENTIAL_HISTOGRAM;
            case SUMMARY -> METRICS_SUMMARY;
        };
    }

    /** The table named {@code table}. */
    static StoredTable named(String table) {
        for (StoredTable stored : values()) {
            if (stored.table.equals(table)) {
                return stored;
            }
        }
        throw new IllegalArgumentException("table: " + table + " (expected: one of the stored tables)");
    }
}
