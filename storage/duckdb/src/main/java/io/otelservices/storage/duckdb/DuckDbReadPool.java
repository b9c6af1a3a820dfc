package io.otelservices.storage.duckdb;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;

/**
 * The bounded executor that runs queries: a fixed number of threads, as many connections (duplicates of the
 * database's first connection, so they share one database instance), and a bounded queue; a full queue refuses a
 * query with {@link RejectedExecutionException}, which {@link DuckDbStorage#isOverCapacity(Throwable)} reports as
 * overload. JDBC calls block, so they never run on the caller's thread (STYLE.md, hot paths).
 */
final class DuckDbReadPool implements AutoCloseable {

    /** A query against one connection. */
    interface Query<T> {
        T run(DuckDBConnection connection) throws SQLException;
    }

    private final ThreadPoolExecutor executor;
    /**
     * The scope of the query running on each reader thread, set and removed by {@link #submit} around each query.
     * A thread-local rather than a parameter of {@link Query#run}: only {@link TableSources} needs it, deep inside
     * the readers' SQL building, and every query (readers, tests, benchmarks) keeps its one-argument shape. An
     * instance field, not a static: each pool has its own threads and scopes.
     */
    private final ThreadLocal<QueryScope> scopes = new ThreadLocal<>();
    private final BlockingQueue<DuckDBConnection> connections;
    private final List<DuckDBConnection> allConnections = new ArrayList<>();
    private final int maxPending;
    private volatile boolean closed;

    DuckDbReadPool(DuckDBConnection parent, int threads, int maxPending) throws SQLException {
        this.maxPending = maxPending;
        connections = new ArrayBlockingQueue<>(threads);
        try {
            for (int i = 0; i < threads; i++) {
                DuckDBConnection connection = parent.duplicate();
                allConnections.add(connection);
                // Each query runs in a transaction of its own (committed after it), so that everything it reads,
                // the block catalog included, comes from one snapshot (TableSources).
                connection.setAutoCommit(false);
                connections.add(connection);
            }
        } catch (SQLException e) {
            closeConnections();
            throw e;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxPending), runnable -> {
                    Thread thread = new Thread(runnable, "duckdb-reader-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Runs {@code query} on a reader thread; {@code description} names it in error messages. */
    <T> CompletableFuture<T> submit(String description, Query<T> query) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("DuckDB storage is closed"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                DuckDBConnection connection = null;
                try {
                    // Never waits: there are as many connections as threads.
                    connection = connections.take();
                    T value;
                    QueryScope scope = new QueryScope();
                    scopes.set(scope);
                    try {
                        value = query.run(connection);
                        connection.commit();
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(connection, e);
                        throw e;
                    } finally {
                        // After the transaction ended: DuckDB reads the pinned files only while the query runs.
                        scopes.remove();
                        scope.close();
                    }
                    result.complete(value);
                } catch (SQLException e) {
                    result.completeExceptionally(
                            new DuckDbStorageException("cannot " + description + ": " + e.getMessage(), e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.completeExceptionally(e);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                } finally {
                    if (connection != null) {
                        connections.add(connection);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("DuckDB storage is closed"));
            }
            result.completeExceptionally(new RejectedExecutionException(
                    "pending DuckDB queries: " + executor.getQueue().size() + " (expected: < " + maxPending + ")",
                    e));
        }
        return result;
    }

    /**
     * The scope of the query running on the calling thread.
     *
     * @throws IllegalStateException when called outside a query of this pool
     */
    QueryScope currentScope() {
        QueryScope scope = scopes.get();
        if (scope == null) {
            throw new IllegalStateException("no query of the DuckDB read pool runs on thread "
                    + Thread.currentThread().getName() + " (expected: called inside DuckDbReadPool.submit)");
        }
        return scope;
    }

    private static void rollbackQuietly(DuckDBConnection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Lets running and queued queries finish, then closes the connections. */
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
        closeConnections();
    }

    private void closeConnections() {
        for (DuckDBConnection connection : allConnections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing; nothing useful to do with the error.
            }
        }
    }
}
