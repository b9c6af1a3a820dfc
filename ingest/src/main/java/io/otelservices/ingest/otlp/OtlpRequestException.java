package io.otelservices.ingest.otlp;

import static java.util.Objects.requireNonNull;

/**
 * A request the receivers refuse as a whole. Each {@link Kind} maps to one HTTP status and one gRPC code, in
 * {@link HttpAnswers} and {@link GrpcAnswers}.
 */
final class OtlpRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** Malformed protobuf or JSON, bad gzip, ids of the wrong length: HTTP 400, gRPC INVALID_ARGUMENT. */
        BAD_DATA("malformed"),
        /** Body over the size limit, before or after decompression: HTTP 413, gRPC RESOURCE_EXHAUSTED. */
        TOO_LARGE("too_large"),
        /** Content-Type or Content-Encoding not supported: HTTP 415. */
        UNSUPPORTED_MEDIA_TYPE("unsupported_media_type");

        private final String tagValue;

        Kind(String tagValue) {
            this.tagValue = tagValue;
        }

        String tagValue() {
            return tagValue;
        }
    }

    private final Kind kind;

    OtlpRequestException(Kind kind, String message) {
        this(kind, message, null);
    }

    OtlpRequestException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = requireNonNull(kind, "kind");
    }

    static OtlpRequestException badData(String message) {
        return new OtlpRequestException(Kind.BAD_DATA, message);
    }

    Kind kind() {
        return kind;
    }
}
