package io.otelservices.ingest.prometheus;

import com.linecorp.armeria.common.HttpStatus;

/**
 * A remote-write request refused as a whole, with the HTTP status it is answered with ({@link RemoteWriteAnswers})
 * and the {@code reason} tag it is counted under.
 */
final class RemoteWriteException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpStatus status;
    private final String reason;

    private RemoteWriteException(HttpStatus status, String reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** Not snappy, not a {@code prometheus.WriteRequest}, or empty: 400. */
    static RemoteWriteException badData(String message, Throwable cause) {
        return new RemoteWriteException(HttpStatus.BAD_REQUEST, "malformed", message, cause);
    }

    /** Body over the size limit, sent or once decompressed: 413. */
    static RemoteWriteException tooLarge(String message) {
        return new RemoteWriteException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", message, null);
    }

    /** Content-Type or Content-Encoding other than remote write 1.0's: 415. */
    static RemoteWriteException unsupportedMediaType(String message) {
        return new RemoteWriteException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message, null);
    }

    HttpStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }
}
