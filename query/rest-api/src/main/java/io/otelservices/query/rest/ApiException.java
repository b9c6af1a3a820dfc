package io.otelservices.query.rest;

import com.linecorp.armeria.common.HttpStatus;
import java.util.Objects;

/**
 * A request the API answers with a 4xx status and {@code {"error": message}}. Thrown while parsing and validating
 * a request or when the thing asked for does not exist; {@link ErrorResponses} turns it into the response.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpStatus status;

    private ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** A 400 whose message reads {@code <field>: <problem> (expected: <expected>)}. */
    static ApiException badRequest(String field, String problem, String expected) {
        return new ApiException(HttpStatus.BAD_REQUEST, field + ": " + problem + " (expected: " + expected + ')');
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }

    /** A well-formed request whose data exceeds a limit of this API (see docs/API.md, "Limits"). */
    static ApiException limitExceeded(String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, message);
    }

    static ApiException of(HttpStatus status, String message) {
        return new ApiException(status, message);
    }

    HttpStatus status() {
        return status;
    }
}
