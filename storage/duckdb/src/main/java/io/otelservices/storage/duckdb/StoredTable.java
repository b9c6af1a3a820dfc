package io.otelservices.storage.duckdb;

import io.otelservices.model.MetricType;
import java.time.Duration;

/**
 * Each hot table of {@link DuckDbSchema} with what sealing needs to know about it: its time column, the sort order
 * of its sealed blocks (so that Parquet row-group statistics prune the common filters: service, then name, then
 * time), and which retention class it belongs to.
 */
enum StoredTable {
    TRACES(DuckDbSchema.TRACES, "Timestamp", "ServiceName, SpanName, Timestamp", Kind.TRACES),
    LOGS(DuckDbSchema.LOGS, "Timestamp", "ServiceName, SeverityNumber, Timestamp", Kind.LOGS),
    METRICS_GAUGE(MetricType.GAUGE),
    METRICS_SUM(MetricType.SUM),
    METRICS_HISTOGRAM(MetricType.HISTOGRAM),
    METRICS_EXPONENTIAL_HISTOGRAM(MetricType.EXPONENTIAL_HISTOGRAM),
    METRICS_SUMMARY(MetricType.SUMMARY);

    /** Retention and partitioning classes. */
    enum Kind {
        /** Partitions of one hour: trace queries are narrow in time and the seed partitions traces hourly. */
        TRACES(Duration.ofHours(1)),
        /** Partitions of one day (seed), each holding the hourly blocks of that day. */
        LOGS(Duration.ofDays(1)),
        METRICS(Duration.ofDays(1));

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

    StoredTable(String table, String timeColumn, String sortColumns, Kind kind) {
        this.table = table;
        this.timeColumn = timeColumn;
        this.sortColumns = sortColumns;
        this.kind = kind;
    }

    StoredTable(MetricType type) {
        this(type.tableName(), "TimeUnix", "MetricName, ServiceName, TimeUnix", Kind.METRICS);
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

    Kind kind() {
        return kind;
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
