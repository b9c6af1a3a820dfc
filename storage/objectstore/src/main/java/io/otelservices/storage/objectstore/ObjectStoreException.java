package io.otelservices.storage.objectstore;

import static java.util.Objects.requireNonNull;

/**
 * The one exception an {@link ObjectStore} throws. Its message says what failed, on which key or bucket, and what to
 * check; {@link #reason()} lets a caller react without parsing it, for example treat {@link Reason#NOT_FOUND} as
 * "the block is gone" and {@link Reason#UNREACHABLE} as "try again later". The cause is kept.
 */
public final class ObjectStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** The key does not exist. */
        NOT_FOUND,
        /** The bucket (or the local store's root directory) does not exist. */
        BUCKET_NOT_FOUND,
        /** The store refused the credentials or the operation (HTTP 401/403). */
        ACCESS_DENIED,
        /** The store could not be reached or answered with a server error, after the client's retries. */
        UNREACHABLE,
        /** Reading the source file or writing the target file on this machine failed. */
        LOCAL_IO,
        /** The calling thread was interrupted; its interrupt flag is set again. */
        INTERRUPTED,
        /** Anything else, for example a request the store rejected as invalid. */
        OTHER
    }

    private final Reason reason;

    /**
     * @param reason why the operation failed
     * @param message what failed and what to check, for a person
     * @param cause the underlying error, or {@code null}
     */
    public ObjectStoreException(Reason reason, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.reason = requireNonNull(reason, "reason");
    }

    /** @see #ObjectStoreException(Reason, String, Throwable) */
    public ObjectStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** Why the operation failed; never {@code null}. */
    public Reason reason() {
        return reason;
    }
}
