package io.otelservices.storage;

/** A query would return more than the caller allowed; the message says which limit and by how much. */
public class QueryLimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueryLimitExceededException(String message) {
        super(message);
    }
}
