package io.otelservices.storage;

/**
 * One storage backend (embedded DuckDB, ClickHouse, in-memory). Thread-safe. Created open; {@link #close()}
 * releases files and connections after in-flight work completes.
 */
public interface StorageBackend extends AutoCloseable {

    /** The single writer ingest uses. */
    BatchWriter writer();

    TraceReader traces();

    LogReader logs();

    SeriesReader series();

    DependencyReader dependencies();

    /**
     * Whether the backend is open and writable right now; drives {@code /ready}. Cheap enough to call per request.
     */
    CheckResult check();

    /**
     * Whether {@code error}, thrown by this backend, means it is overloaded (so ingest answers with retryable
     * backpressure such as HTTP 503 or gRPC {@code UNAVAILABLE}) rather than broken.
     */
    boolean isOverCapacity(Throwable error);

    /** Flushes what is pending and releases resources. Idempotent. */
    @Override
    void close();
}
