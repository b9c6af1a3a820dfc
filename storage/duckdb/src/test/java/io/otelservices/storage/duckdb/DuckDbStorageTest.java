package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.model.MetricType;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.WriteBatch;
import io.otelservices.storage.contract.DependencyStoreContract;
import io.otelservices.storage.contract.LogStoreContract;
import io.otelservices.storage.contract.SeriesStoreContract;
import io.otelservices.storage.contract.SpanStoreContract;
import io.otelservices.storage.contract.StorageFixtures;
import io.otelservices.storage.contract.WriterContract;
import io.otelservices.storage.objectstore.LocalObjectStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite against DuckDB, plus what only this backend has: its transaction scheme, schema and limits. */
class DuckDbStorageTest {

    @TempDir
    Path dataDirectory;

    private StorageBackend newStorage() {
        return DuckDbStorage.open(DuckDbConfig.of(dataDirectory));
    }

    private static StorageBackend reopenStorage(StorageBackend closed) {
        return DuckDbStorage.open(((DuckDbStorage) closed).config());
    }

    @Nested
    class SpanStore extends SpanStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newStorage();
        }
    }

    /**
     * A store whose clock stands in 2100, so that maintenance seals every row of the suite's data (2026) into
     * blocks; retention is long enough to keep them all, rollups included.
     */
    private StorageBackend newSealingStorage() {
        return DuckDbStorage.open(sealingConfig());
    }

    private DuckDbConfig sealingConfig() {
        Clock year2100 = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);
        Duration forever = Duration.ofDays(365L * 500);
        return DuckDbConfig.of(dataDirectory).withBlocks(BlockPolicy.DEFAULT.withClock(year2100)
                .withMaintenanceInterval(Duration.ZERO).withRetention(forever, forever, forever)
                .withRollupRetention(forever, forever));
    }

    /**
     * A sealing store ({@link #newSealingStorage()}) whose blocks move to a cold tier on a {@link LocalObjectStore}
     * as soon as they are sealed: the suite's queries read them back through the cache.
     */
    private StorageBackend newColdStorage() {
        DuckDbConfig sealing = sealingConfig();
        return DuckDbStorage.open(sealing.withBlocks(sealing.blocks().withColdAfter(Duration.ofHours(1)))
                .withColdTier(new DuckDbConfig.ColdTier(new LocalObjectStore(dataDirectory.resolve("objects")),
                        dataDirectory.resolve("cold-cache"), 1L << 30)));
    }

    /**
     * Seals what was just written (and moves it to the cold tier, where there is one): the next writes stay hot until
     * the next call, so queries see both.
     */
    private static void sealAll(StorageBackend backend) {
        ((DuckDbStorage) backend).runMaintenance();
    }

    @Nested
    class SealedSpanStore extends SpanStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newSealingStorage();
        }

        @Override
        protected void afterWrite(StorageBackend backend) {
            sealAll(backend);
        }
    }

    @Nested
    class SealedLogStore extends LogStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newSealingStorage();
        }

        @Override
        protected void afterWrite(StorageBackend backend) {
            sealAll(backend);
        }
    }

    @Nested
    class SealedSeriesStore extends SeriesStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newSealingStorage();
        }

        @Override
        protected void afterWrite(StorageBackend backend) {
            sealAll(backend);
        }
    }

    @Nested
    class DependencyStore extends DependencyStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newStorage();
        }
    }

    @Nested
    class SealedDependencyStore extends DependencyStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newSealingStorage();
        }

        @Override
        protected void afterWrite(StorageBackend backend) {
            sealAll(backend);
        }
    }

    @Nested
    class ColdDependencyStore extends SealedDependencyStore {
        @Override
        protected StorageBackend newBackend() {
            return newColdStorage();
        }
    }

    @Nested
    class ColdSpanStore extends SealedSpanStore {
        @Override
        protected StorageBackend newBackend() {
            return newColdStorage();
        }
    }

    @Nested
    class ColdLogStore extends SealedLogStore {
        @Override
        protected StorageBackend newBackend() {
            return newColdStorage();
        }
    }

    @Nested
    class ColdSeriesStore extends SealedSeriesStore {
        @Override
        protected StorageBackend newBackend() {
            return newColdStorage();
        }
    }

    @Nested
    class LogStore extends LogStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newStorage();
        }
    }

    @Nested
    class SeriesStore extends SeriesStoreContract {
        @Override
        protected StorageBackend newBackend() {
            return newStorage();
        }
    }

    @Nested
    class Writer extends WriterContract {
        @Override
        protected StorageBackend newBackend() {
            return newStorage();
        }

        @Override
        protected StorageBackend reopen(StorageBackend closedBackend) {
            return reopenStorage(closedBackend);
        }
    }

    // --- DuckDB only

    @Test
    void write_failureAfterSomeTablesAppended_leavesNothingBehind() throws Exception {
        WriteBatch good = batch(1, 7);
        WriteBatch doomed = batch(2, 8);
        DuckDbBatchWriter.AppendListener failAfterLogs = table -> {
            if (table.equals(DuckDbSchema.LOGS)) {
                throw new SQLException("injected failure after appending " + table);
            }
        };
        try (DuckDbStorage storage = new DuckDbStorage(DuckDbConfig.of(dataDirectory), table -> {})) {
            storage.writer().write(good).get(30, TimeUnit.SECONDS);
        }
        try (DuckDbStorage storage = new DuckDbStorage(DuckDbConfig.of(dataDirectory), failAfterLogs)) {
            CompletableFuture<Void> written = storage.writer().write(doomed);

            assertThatThrownBy(() -> written.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DuckDbStorageException.class)
                    .hasMessageContaining("WAL sequence 8").hasMessageContaining("injected failure");
            assertThat(storage.writer().durableWalSequence()).isEqualTo(7);
            assertThat(storage.traces().getTrace(traceId(2), TimeRange.ALL).get()).isEmpty();
            assertThat(logsOfTrace(storage, 2)).isZero();
            assertThat(storage.check().ok()).isTrue();
        }
        // Nothing of the doomed batch reached the file either.
        try (DuckDbStorage storage = DuckDbStorage.open(DuckDbConfig.of(dataDirectory))) {
            assertThat(storage.writer().durableWalSequence()).isEqualTo(7);
            assertThat(storage.traces().getTrace(traceId(1), TimeRange.ALL).get()).hasSize(3);
            assertThat(storage.traces().getTrace(traceId(2), TimeRange.ALL).get()).isEmpty();
            assertThat(logsOfTrace(storage, 1)).isEqualTo(3);
            assertThat(logsOfTrace(storage, 2)).isZero();
        }
    }

    /**
     * Why {@link DuckDbBatchWriter} runs a statement before it appends: with auto-commit off, DuckDB's driver begins
     * the transaction at the first statement, and an appender flushed before that commits on its own.
     */
    @Test
    void appender_beforeFirstStatement_commitsOnItsOwn_afterStatement_joinsTransaction() throws SQLException {
        try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (x BIGINT)");
            connection.setAutoCommit(false);

            appendOne(connection, 1);
            connection.rollback();
            assertThat(count(statement)).as("appended before any statement, then rolled back").isEqualTo(1);

            statement.execute("SELECT 1");
            appendOne(connection, 2);
            connection.rollback();
            assertThat(count(statement)).as("appended after a statement, then rolled back").isEqualTo(1);
        }
    }

    @Test
    void isOverCapacity_duckDbOutOfMemory_true() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("memory_limit", "8MB");
        properties.setProperty("threads", "1");
        SQLException outOfMemory = null;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
             Statement statement = connection.createStatement()) {
            statement.execute("SET temp_directory = ''");
            statement.executeQuery("SELECT list(repeat('x', 100) || range) FROM range(2000000)").close();
        } catch (SQLException e) {
            outOfMemory = e;
        }

        assertThat((Throwable) outOfMemory).as("DuckDB error").isNotNull();
        try (DuckDbStorage storage = DuckDbStorage.open(DuckDbConfig.of(dataDirectory))) {
            assertThat(storage.isOverCapacity(outOfMemory)).isTrue();
            assertThat(storage.isOverCapacity(new DuckDbStorageException("cannot write batch", outOfMemory)))
                    .isTrue();
            assertThat(storage.isOverCapacity(new SQLException("Parser Error: syntax error"))).isFalse();
            assertThat(storage.isOverCapacity(new IllegalStateException("DuckDB storage is closed"))).isFalse();
        }
    }

    @Test
    void write_queueFull_refusedAsOverCapacity() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DuckDbConfig config = new DuckDbConfig(dataDirectory, 1, 1, 1, 1, "256MB", BlockPolicy.DEFAULT);
        try (DuckDbStorage storage = new DuckDbStorage(config, table -> awaitQuietly(release))) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            writes.add(storage.writer().write(batch(1, 1))); // runs, blocked in the listener
            // The running one leaves the queue at once or soon; fill it until a write is refused.
            CompletableFuture<Void> refused = null;
            for (int i = 2; i < 10 && refused == null; i++) {
                CompletableFuture<Void> write = storage.writer().write(batch(i, i));
                if (write.isCompletedExceptionally()) {
                    refused = write;
                } else {
                    writes.add(write);
                }
            }

            assertThat(refused).as("a write refused while the queue is full").isNotNull();
            Throwable cause = refused.handle((ok, error) -> error).get();
            assertThat(storage.isOverCapacity(cause)).isTrue();
            assertThat(cause).hasMessageContaining("pending DuckDB writes");

            release.countDown();
            for (CompletableFuture<Void> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void open_databaseFileUnderDataDirectory_withExporterTables() throws Exception {
        try (StorageBackend storage = newStorage()) {
            storage.writer().write(batch(1, 1)).get(30, TimeUnit.SECONDS);
        }

        Path file = dataDirectory.resolve("duckdb").resolve("otel.duckdb");
        assertThat(file.toFile()).isFile();
        assertThat(dataDirectory.resolve("duckdb").resolve("otel.duckdb.wal").toFile())
                .as("write-ahead log checkpointed into the file on close").doesNotExist();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement()) {
            assertThat(columns(statement, "otel_traces")).startsWith("Timestamp", "TraceId", "SpanId",
                    "ParentSpanId", "TraceState", "SpanName", "SpanKind", "ServiceName", "ResourceAttributes")
                    .contains("ScopeName", "ScopeVersion", "SpanAttributes", "Duration", "StatusCode",
                            "StatusMessage", "Events", "Links", "Flags", "DroppedEventsCount", "ScopeSchemaUrl");
            assertThat(columns(statement, "otel_logs")).contains("Timestamp", "TraceId", "SpanId", "TraceFlags",
                    "SeverityText", "SeverityNumber", "ServiceName", "Body", "ResourceSchemaUrl",
                    "ResourceAttributes", "ScopeSchemaUrl", "ScopeName", "ScopeVersion", "ScopeAttributes",
                    "LogAttributes", "ObservedTimestamp", "EventName");
            for (MetricType type : MetricType.values()) {
                assertThat(columns(statement, type.tableName())).as(type.tableName()).contains("MetricName",
                        "MetricDescription", "MetricUnit", "Attributes", "StartTimeUnix", "TimeUnix", "Flags",
                        "Exemplars");
            }
            try (ResultSet rs = statement.executeQuery("SELECT Version FROM otel_schema_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(DuckDbSchema.VERSION);
                assertThat(rs.next()).as("one version row").isFalse();
            }
        }
    }

    @Test
    void open_otherSchemaVersion_refused() throws SQLException {
        newStorage().close();
        Path file = dataDirectory.resolve("duckdb").resolve("otel.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE otel_schema_version SET Version = 99");
        }

        assertThatThrownBy(this::newStorage)
                .isInstanceOf(DuckDbStorageException.class)
                .hasMessageContaining("otel_schema_version: 99 (expected: 1 or 2)");
    }

    @Test
    void checkProbe_readOnlyDatabase_fails() throws SQLException {
        newStorage().close();
        Path file = dataDirectory.resolve("duckdb").resolve("otel.duckdb");
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection(
                "jdbc:duckdb:" + file, readOnly)) {
            // The probe's write must fail on a read-only database, as check() relies on.
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("INSERT INTO otel_schema_version VALUES (0)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
            }
        }
    }

    // --- helpers

    private static WriteBatch batch(int trace, long walSequence) {
        List<io.otelservices.model.Span> spans = new ArrayList<>();
        List<io.otelservices.model.LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            spans.add(span(traceId(trace), spanId(trace * 10 + i)).start(BASE_NANOS + i).build());
            logs.add(log(BASE_NANOS + i).trace(traceId(trace), spanId(trace * 10 + i)).build());
        }
        return new WriteBatch(spans, logs, List.of(StorageFixtures.point("m", BASE_NANOS, StorageFixtures.gauge(1))
                .build()), walSequence);
    }

    private static int logsOfTrace(StorageBackend storage, int trace) throws Exception {
        return storage.logs().findLogs(new LogQuery(TimeRange.ALL, null, 0, null, traceId(trace), List.of(), 100,
                null)).get(30, TimeUnit.SECONDS).records().size();
    }

    private static void appendOne(DuckDBConnection connection, long value) throws SQLException {
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
            appender.beginRow();
            appender.append(value);
            appender.endRow();
        }
    }

    private static long count(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> columns(Statement statement, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("DESCRIBE " + table)) {
            while (rs.next()) {
                names.add(rs.getString("column_name"));
            }
        }
        return names;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
