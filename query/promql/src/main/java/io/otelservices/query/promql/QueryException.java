package io.otelservices.query.promql;

/**
 * A query that cannot be answered, with the Prometheus API error category it maps to ({@code errorType}).
 * Messages are Prometheus' own where it has one.
 */
public class QueryException extends RuntimeException {

    /** Prometheus' {@code errorType} values that the engine raises. */
    public enum Category {
        /** The query is malformed ({@code bad_data}, HTTP 400). */
        BAD_DATA("bad_data"),
        /** The query failed while running ({@code execution}, HTTP 422). */
        EXECUTION("execution"),
        /** The query ran past its timeout ({@code timeout}, HTTP 503). */
        TIMEOUT("timeout"),
        /** The query was canceled ({@code canceled}, HTTP 503). */
        CANCELED("canceled"),
        /** Storage failed ({@code internal}, HTTP 500). */
        INTERNAL("internal");

        private final String errorType;

        Category(String errorType) {
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }

    private final Category category;

    public QueryException(Category category, String message) {
        super(message);
        this.category = category;
    }

    public QueryException(Category category, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
    }

    public Category category() {
        return category;
    }
}
