package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.model.Span;
import io.otelservices.storage.BatchWriter;
import io.otelservices.storage.WriteBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * first runs the checkpoint {@code UPDATE}, which begins the transaction, and only then appends
 * ({@code DuckDbStorageTest} proves that a failure after some rows were appended leaves nothing behind).
 */
final class DuckDbBatchWriter implements BatchWriter, AutoCloseable {

    /** Called after each table's rows were appended, before commit; lets tests inject failures. */
    interface AppendListener {
        AppendListener NONE = table -> {};

        void appended(String table) throws SQLException;
    }

    private final DuckDBConnection connection; // confined to the writer thread
    private final ThreadPoolExecutor executor;
    private final AppendListener listener;
    private final int maxPendingWrites;
    private volatile long durableWalSequence;
    private volatile boolean closed;

    DuckDbBatchWriter(DuckDBConnection connection, int maxPendingWrites, AppendListener listener)
            throws SQLException {
        this.connection = connection;
        this.listener = listener;
        this.maxPendingWrites = maxPendingWrites;
        durableWalSequence = DuckDbSchema.readWalSequence(connection);
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
    public long durableWalSequence() {
        return durableWalSequence;
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
    }

    private void commit(WriteBatch batch) {
        try {
            // Runs first on purpose: it begins the transaction that the appenders below then join.
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + DuckDbSchema.CHECKPOINT + " SET WalSequence = ?")) {
                update.setLong(1, batch.walSequence());
                update.executeUpdate();
            }
            appendSpans(batch.spans());
            appendLogs(batch.logs());
            appendMetricPoints(batch.metricPoints());
            connection.commit();
            durableWalSequence = batch.walSequence();
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

    private void appendSpans(List<Span> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA,
                DuckDbSchema.TRACES)) {
            for (Span span : spans) {
                DuckDbRowWriter.appendSpan(appender, span);
            }
        }
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
