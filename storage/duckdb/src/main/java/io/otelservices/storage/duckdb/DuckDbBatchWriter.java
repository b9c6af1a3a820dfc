package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.Span;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.StoredWalRanges;
import io.otelservices.storage.WalRange;
import io.otelservices.storage.WriteBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes batches on one thread of its own, each batch as one DuckDB transaction: the checkpoint row and every
 * appended row commit together or not at all.
 *
 * <p>DuckDB appenders join the connection's transaction when one is active, and otherwise start and commit one of
 * their own. With auto-commit off the driver begins the transaction lazily, at the first statement, so each batch
 * first records its write-ahead-log range, which begins the transaction, and only then appends
 * ({@code DuckDbStorageTest} proves that a failure after some rows were appended leaves nothing behind).
 */
final class DuckDbBatchWriter implements BatchWriter, AutoCloseable {

    /** Called after each table's rows were appended, before commit; lets tests inject failures. */
    interface AppendListener {
        AppendListener NONE = table -> {};

        void appended(String table) throws SQLException;
    }

    /** Commits between rewrites of the checkpoint table as merged ranges. */
    static final int COMPACT_EVERY = 128;

    private final DuckDBConnection connection; // confined to the writer thread
    private final ThreadPoolExecutor executor;
    private final AppendListener listener;
    private final DuckDbArrowWriter arrowWriter = new DuckDbArrowWriter(); // writer thread only
    private final int maxPendingWrites;
    private volatile StoredWalRanges storedWalRanges;
    private int commitsSinceCompaction; // writer thread only
    private volatile boolean closed;

    DuckDbBatchWriter(DuckDBConnection connection, int maxPendingWrites, AppendListener listener)
            throws SQLException {
        this.connection = connection;
        this.listener = listener;
        this.maxPendingWrites = maxPendingWrites;
        storedWalRanges = DuckDbSchema.readWalRanges(connection);
        connection.setAutoCommit(false);
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxPendingWrites), runnable -> {
                    Thread thread = new Thread(runnable, "duckdb-writer");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public CompletableFuture<Void> write(WriteBatch batch) {
        requireNonNull(batch, "batch");
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("DuckDB storage is closed"));
        }
        try {
            executor.execute(() -> {
                try {
                    commit(batch);
                    result.complete(null);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("DuckDB storage is closed"));
            }
            result.completeExceptionally(new RejectedExecutionException(
                    "pending DuckDB writes: " + executor.getQueue().size() + " (expected: < "
                            + maxPendingWrites + ")", e));
        }
        return result;
    }

    @Override
    public StoredWalRanges storedWalRanges() {
        return storedWalRanges;
    }

    /** Whether the writer thread still takes batches. */
    boolean isRunning() {
        return !closed && !executor.isShutdown();
    }

    /** Waits for queued batches, then stops the thread. The connection stays open. */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (executor.isTerminated()) {
            arrowWriter.close();
        }
    }

    private void commit(WriteBatch batch) {
        try {
            // Runs first on purpose: it begins the transaction that the appenders below then join.
            StoredWalRanges after = recordWalRange(batch.walRange());
            appendSpans(batch.spans());
            appendLogs(batch.logs());
            appendMetricPoints(batch.metricPoints());
            connection.commit();
            storedWalRanges = after;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw new DuckDbStorageException("cannot write batch of " + batch.itemCount()
                    + " items up to WAL sequence " + batch.walSequence() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records the batch's range in the checkpoint table, one row per batch; every {@value #COMPACT_EVERY} commits the
     * rows are rewritten as the merged ranges, so the table stays a handful of rows. Returns the ranges after commit.
     */
    private StoredWalRanges recordWalRange(WalRange range) throws SQLException {
        StoredWalRanges after = range == null ? storedWalRanges : storedWalRanges.plus(range);
        try (Statement statement = connection.createStatement()) {
            // Also begins the transaction when the batch has no range.
            statement.execute("SELECT 1");
        }
        if (range == null) {
            return after;
        }
        if (++commitsSinceCompaction >= COMPACT_EVERY) {
            commitsSinceCompaction = 0;
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM " + DuckDbSchema.CHECKPOINT);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + DuckDbSchema.CHECKPOINT + " VALUES (?, ?)")) {
                for (WalRange merged : after.ranges()) {
                    insert.setLong(1, merged.first());
                    insert.setLong(2, merged.last());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } else {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + DuckDbSchema.CHECKPOINT + " VALUES (?, ?)")) {
                insert.setLong(1, range.first());
                insert.setLong(2, range.last());
                insert.executeUpdate();
            }
        }
        return after;
    }

    private void appendSpans(List<Span> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        arrowWriter.insertSpans(connection, spans);
        listener.appended(DuckDbSchema.TRACES);
    }

    private void appendLogs(List<LogRecord> logs) throws SQLException {
        if (logs.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                DuckDbSchema.LOGS)) {
            for (LogRecord log : logs) {
                DuckDbRowWriter.appendLog(appender, log);
            }
        }
        listener.appended(DuckDbSchema.LOGS);
    }

    private void appendMetricPoints(List<MetricPoint> points) throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        Map<MetricType, List<MetricPoint>> byType = new EnumMap<>(MetricType.class);
        for (MetricPoint point : points) {
            byType.computeIfAbsent(point.type(), type -> new ArrayList<>()).add(point);
        }
        for (Map.Entry<MetricType, List<MetricPoint>> entry : byType.entrySet()) {
            String table = entry.getKey().tableName();
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
                for (MetricPoint point : entry.getValue()) {
                    DuckDbRowWriter.appendMetricPoint(appender, point);
                }
            }
            listener.appended(table);
        }
    }
}
