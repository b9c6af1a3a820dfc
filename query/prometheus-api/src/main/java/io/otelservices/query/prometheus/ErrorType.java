package io.otelservices.query.prometheus;

import com.linecorp.armeria.common.HttpStatus;
import io.otelservices.query.promql.QueryException;

/**
 * Prometheus' {@code errorType} values and the HTTP status each is answered with (Prometheus' {@code respondError}).
 */
enum ErrorType {
    BAD_DATA("bad_data", HttpStatus.BAD_REQUEST),
    EXECUTION("execution", HttpStatus.UNPROCESSABLE_ENTITY),
    TIMEOUT("timeout", HttpStatus.SERVICE_UNAVAILABLE),
    CANCELED("canceled", HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR),
    UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    NOT_FOUND("not_found", HttpStatus.NOT_FOUND);

    private final String wireName;
    private final HttpStatus status;

    ErrorType(String wireName, HttpStatus status) {
        this.wireName = wireName;
        this.status = status;
    }

    /** The {@code errorType} field. */
    String wireName() {
        return wireName;
    }

    HttpStatus status() {
        return status;
    }

    static ErrorType of(QueryException.Category category) {
        return switch (category) {
            case BAD_DATA -> BAD_DATA;
            case EXECUTION -> EXECUTION;
            case TIMEOUT -> TIMEOUT;
            case CANCELED -> CANCELED;
            case INTERNAL -> INTERNAL;
        };
    }
}
