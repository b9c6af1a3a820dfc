package io.otelservices.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.storage.StorageBackend;
import io.otelservices.storage.WriteBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every contract class: a fresh, empty backend per test, closed after it. A backend's test extends the
 * contract classes (usually as {@code @Nested} classes, see {@code InMemoryStorageTest}) and implements
 * {@link #newBackend()}.
 */
public abstract class StorageContract {

    /**
     * Field-by-field comparison for round trips: doubles must be exactly equal ({@code NaN} equal to itself,
     * unlike AssertJ's default tolerance-based comparator, under which {@code NaN} never equals {@code NaN}).
     */
    protected static final RecursiveComparisonConfiguration EXACTLY = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(Double::compare, Double.class)
            .withComparatorForType(Float::compare, Float.class)
            .build();

    /** How long a test waits for one storage call. */
    protected static final long TIMEOUT_SECONDS = 30;

    private StorageBackend backend;

    /** A new, open and empty backend; called before each test. */
    protected abstract StorageBackend newBackend();

    /**
     * Opens again the store of {@code closedBackend}, which the suite has just closed. Backends that support
     * {@link StorageCapability#REOPEN} override this; the default refuses.
     */
    protected StorageBackend reopen(StorageBackend closedBackend) {
        throw new UnsupportedOperationException(
                "reopen: not supported by " + closedBackend.getClass().getSimpleName());
    }

    /** Whether the backend under test has {@code capability}; all are assumed until a backend opts out. */
    protected boolean supports(StorageCapability capability) {
        return true;
    }

    @BeforeEach
    protected final void openBackend() {
        backend = newBackend();
        assertThat(backend).as("newBackend()").isNotNull();
    }

    @AfterEach
    protected final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** The backend of the running test. */
    protected final StorageBackend backend() {
        return backend;
    }

    /** Closes the backend of the running test and continues with {@link #reopen(StorageBackend)} of it. */
    protected final StorageBackend closeAndReopen() {
        StorageBackend closed = backend;
        backend = null;
        closed.close();
        backend = reopen(closed);
        return backend;
    }

    /** Writes {@code batches} one after the other, each waited for, each followed by {@link #afterWrite}. */
    protected final void write(WriteBatch... batches) {
        for (WriteBatch batch : batches) {
            await(backend.writer().write(batch));
            afterWrite(backend);
        }
    }

    /**
     * Called after each batch that {@link #write} stored. Backends with more than one place for the same rows
     * (hot tables and sealed files) override it to move what was written, so that every query of the suite also
     * runs over moved data and over a mix of both.
     */
    protected void afterWrite(StorageBackend backend) {}

    /** The result of {@code future}, failing the test on error or after {@link #TIMEOUT_SECONDS}. */
    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("storage call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("storage call took longer than " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The failure of {@code future}, failing the test when it succeeds. */
    protected static Throwable failureOf(CompletableFuture<?> future) {
        try {
            Object value = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected the storage call to fail, but it returned " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("storage call took longer than " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
