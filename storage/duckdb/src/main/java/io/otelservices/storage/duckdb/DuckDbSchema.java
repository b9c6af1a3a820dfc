package io.otelservices.storage.duckdb;

import io.otelservices.model.MetricType;
import io.otelservices.storage.StoredWalRanges;
import io.otelservices.storage.WalRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the embedded store, named and columned like the OpenTelemetry Collector ClickHouse exporter's
 * (DESIGN.md §3), plus the columns the exporter drops, so that nothing of the model is lost: span and link flags,
 * dropped counts, schema URLs, scope attributes, the log event name and observed time, metric metadata.
 *
 * <p>Times are {@code BIGINT} Unix epoch nanoseconds rather than {@code TIMESTAMP_NS}: the model carries
 * nanoseconds as {@code long}, so they go in and out of the appender and result sets without conversion, and
 * comparisons with query bounds are plain integer comparisons. Attribute maps are {@code MAP(VARCHAR, VARCHAR)}
 * (DESIGN.md §4: as JSON text, attribute filters are 3-4× slower).
 *
 * <p>The layout is versioned (STYLE.md, Tempo): {@code otel_schema_version} holds {@link #VERSION}, and a store of
 * another version is refused rather than misread.
 */
final class DuckDbSchema {

    /**
     * The on-disk format version this code reads and writes. 2 added the block catalog and the trace index; a
     * version 1 store is upgraded in place (it has no blocks yet).
     */
    static final int VERSION = 2;

    static final String TRACES = "otel_traces";
    static final String LOGS = "otel_logs";
    static final String SCHEMA_VERSION = "otel_schema_version";
    static final String CHECKPOINT = "otel_ingest_checkpoint";
    static final String BLOCKS = "otel_blocks";
    static final String TRACE_INDEX = "otel_trace_index";

    /**
     * The sealed blocks: one row per Parquet file, added in the transaction that deletes the file's rows from the
     * hot table, so that a reader's snapshot sees each row exactly once. {@code Path} is relative to the blocks
     * directory; times are Unix epoch nanoseconds of the table's time column.
     */
    static final String CREATE_BLOCKS = """
            CREATE TABLE IF NOT EXISTS otel_blocks (
                BlockId BIGINT PRIMARY KEY,
                TableName VARCHAR NOT NULL,
                PartitionStart BIGINT NOT NULL,
                MinTime BIGINT NOT NULL,
                MaxTime BIGINT NOT NULL,
                RowCount BIGINT NOT NULL,
                Bytes BIGINT NOT NULL,
                Path VARCHAR NOT NULL,
                Tier VARCHAR NOT NULL,
                SealedAt BIGINT NOT NULL
            )""";

    /**
     * Trace id to the blocks that hold its spans and the trace's time range there (the seed's
     * {@code otel_trace_index}), filled when a block is sealed; hot rows are found in the hot table itself.
     */
    static final String CREATE_TRACE_INDEX = """
            CREATE TABLE IF NOT EXISTS otel_trace_index (
                TraceId VARCHAR NOT NULL,
                BlockId BIGINT NOT NULL,
                StartTime BIGINT NOT NULL,
                EndTime BIGINT NOT NULL
            )""";

    private static final String ATTRIBUTES = "MAP(VARCHAR, VARCHAR)";

    /** Resource and scope columns shared by every signal's table. */
    private static final String RESOURCE_AND_SCOPE = """
                ResourceAttributes %1$s,
                ResourceDroppedAttributesCount INTEGER,
                ResourceSchemaUrl VARCHAR,
                ScopeName VARCHAR,
                ScopeVersion VARCHAR,
                ScopeAttributes %1$s,
                ScopeDroppedAttributesCount INTEGER,
                ScopeSchemaUrl VARCHAR,
            """.formatted(ATTRIBUTES);

    static final String CREATE_TRACES = """
            CREATE TABLE IF NOT EXISTS otel_traces (
                Timestamp BIGINT,
                TraceId VARCHAR,
                SpanId VARCHAR,
                ParentSpanId VARCHAR,
                TraceState VARCHAR,
                SpanName VARCHAR,
                SpanKind VARCHAR,
                ServiceName VARCHAR,
            """ + RESOURCE_AND_SCOPE + """
                SpanAttributes %1$s,
                Duration BIGINT,
                StatusCode VARCHAR,
                StatusMessage VARCHAR,
                Events STRUCT(Timestamp BIGINT, Name VARCHAR, Attributes %1$s, DroppedAttributesCount INTEGER)[],
                Links STRUCT(TraceId VARCHAR, SpanId VARCHAR, TraceState VARCHAR, Attributes %1$s,
                             Flags INTEGER, DroppedAttributesCount INTEGER)[],
                Flags INTEGER,
                DroppedAttributesCount INTEGER,
                DroppedEventsCount INTEGER,
                DroppedLinksCount INTEGER
            )""".formatted(ATTRIBUTES);

    static final String CREATE_LOGS = """
            CREATE TABLE IF NOT EXISTS otel_logs (
                Timestamp BIGINT,
                ObservedTimestamp BIGINT,
                TraceId VARCHAR,
                SpanId VARCHAR,
                TraceFlags INTEGER,
                SeverityText VARCHAR,
                SeverityNumber INTEGER,
                ServiceName VARCHAR,
                Body VARCHAR,
            """ + RESOURCE_AND_SCOPE + """
                LogAttributes %1$s,
                DroppedAttributesCount INTEGER,
                EventName VARCHAR
            )""".formatted(ATTRIBUTES);

    /** Identity and time columns shared by the five metric tables, in appender order. */
    private static final String METRIC_COMMON = RESOURCE_AND_SCOPE + """
                ServiceName VARCHAR,
                MetricName VARCHAR,
                MetricDescription VARCHAR,
                MetricUnit VARCHAR,
                MetricMetadata %1$s,
                Attributes %1$s,
                StartTimeUnix BIGINT,
                TimeUnix BIGINT,
                Flags INTEGER,
                Exemplars STRUCT(FilteredAttributes %1$s, TimeUnix BIGINT, Value DOUBLE, SpanId VARCHAR,
                                 TraceId VARCHAR)[],
            """.formatted(ATTRIBUTES);

    private DuckDbSchema() {}

    /** The {@code CREATE TABLE} statement of a metric type's table. */
    static String createMetricTable(MetricType type) {
        String valueColumns = switch (type) {
            case GAUGE -> "Value DOUBLE";
            case SUM -> "Value DOUBLE, AggregationTemporality INTEGER, IsMonotonic BOOLEAN";
            case HISTOGRAM -> """
                    Count BIGINT, Sum DOUBLE, BucketCounts BIGINT[], ExplicitBounds DOUBLE[], Min DOUBLE, Max DOUBLE,
                    AggregationTemporality INTEGER""";
            case EXPONENTIAL_HISTOGRAM -> """
                    Count BIGINT, Sum DOUBLE, Scale INTEGER, ZeroCount BIGINT, ZeroThreshold DOUBLE,
                    PositiveOffset INTEGER, PositiveBucketCounts BIGINT[], NegativeOffset INTEGER,
                    NegativeBucketCounts BIGINT[], Min DOUBLE, Max DOUBLE, AggregationTemporality INTEGER""";
            case SUMMARY -> "Count BIGINT, Sum DOUBLE, ValueAtQuantiles STRUCT(Quantile DOUBLE, Value DOUBLE)[]";
        };
        return "CREATE TABLE IF NOT EXISTS " + type.tableName() + " (\n" + METRIC_COMMON + "    " + valueColumns
                + "\n)";
    }

    /**
     * Creates the tables where the store is new, or checks the version of an existing store. One transaction, so a
     * crash leaves either no schema or all of it.
     *
     * @throws IllegalStateException when the store has another format version
     */
    static void createOrVerify(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA_VERSION + " (Version INTEGER)");
            Integer existing = null;
            try (ResultSet rs = statement.executeQuery("SELECT max(Version) FROM " + SCHEMA_VERSION)) {
                if (rs.next()) {
                    int version = rs.getInt(1);
                    existing = rs.wasNull() ? null : version;
                }
            }
            if (existing != null && existing != VERSION && existing != 1) {
                throw new IllegalStateException(
                        "otel_schema_version: " + existing + " (expected: 1 or " + VERSION + ")");
            }
            statement.execute(CREATE_TRACES);
            statement.execute(CREATE_LOGS);
            for (MetricType type : MetricType.values()) {
                statement.execute(createMetricTable(type));
            }
            long legacyCheckpoint = dropLegacyCheckpoint(connection);
            statement.execute("CREATE TABLE IF NOT EXISTS " + CHECKPOINT
                    + " (FirstSequence BIGINT NOT NULL, LastSequence BIGINT NOT NULL)");
            if (legacyCheckpoint > 0) {
                statement.execute("INSERT INTO " + CHECKPOINT + " VALUES (1, " + legacyCheckpoint + ")");
            }
            for (String rollupTable : Rollups.CREATE_TABLES) {
                statement.execute(rollupTable);
            }
            statement.execute(CREATE_BLOCKS);
            statement.execute(CREATE_TRACE_INDEX);
            statement.execute("CREATE INDEX IF NOT EXISTS otel_trace_index_trace_id ON " + TRACE_INDEX + " (TraceId)");
            if (existing == null || existing != VERSION) {
                statement.execute("DELETE FROM " + SCHEMA_VERSION);
                statement.execute("INSERT INTO " + SCHEMA_VERSION + " VALUES (" + VERSION + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Stores of the first layout kept one row {@code (WalSequence)}: everything up to it was stored. Returns that
     * sequence after dropping the table (so it is recreated as ranges), or 0 when there is no such table.
     */
    private static long dropLegacyCheckpoint(Connection connection) throws SQLException {
        try (PreparedStatement columns = connection.prepareStatement(
                "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = 'WalSequence'")) {
            columns.setString(1, CHECKPOINT);
            try (ResultSet rs = columns.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
            }
        }
        long sequence = 0;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT max(WalSequence) FROM " + CHECKPOINT)) {
                if (rs.next()) {
                    sequence = rs.getLong(1);
                }
            }
            statement.execute("DROP TABLE " + CHECKPOINT);
        }
        return sequence;
    }

    /** The write-ahead-log ranges stored, one row per committed batch (or per range after compaction). */
    static StoredWalRanges readWalRanges(Connection connection) throws SQLException {
        List<WalRange> ranges = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT FirstSequence, LastSequence FROM " + CHECKPOINT);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ranges.add(new WalRange(rs.getLong(1), rs.getLong(2)));
            }
        }
        return StoredWalRanges.of(ranges);
    }
}
