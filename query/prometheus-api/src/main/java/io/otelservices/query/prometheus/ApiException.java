package io.otelservices.query.prometheus;

/** A request the API answers with a Prometheus error: its {@link ErrorType} and Prometheus' message. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorType type;

    ApiException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    ApiException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** A {@code bad_data} error for one parameter: {@code invalid parameter "time": ...}, as Prometheus words it. */
    static ApiException invalidParameter(String name, String reason) {
        return new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": " + reason);
    }

    static ApiException badData(String message) {
        return new ApiException(ErrorType.BAD_DATA, message);
    }

    ErrorType type() {
        return type;
    }
}
