package io.otelservices.storage.duckdb;

/**
 * A failure of the DuckDB backend, with what it was doing in the message and the driver's error as the cause. See
 * {@link DuckDbStorage#isOverCapacity(Throwable)} for which ones are retryable overload.
 */
public final class DuckDbStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DuckDbStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
