package io.otelservices.query.rest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.StorageBackend;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps a failed query to its HTTP response (STYLE.md, "Errors and logging"):
 * <ul>
 *   <li>{@link ApiException}: its own 4xx status and message;</li>
 *   <li>{@link QueryLimitExceededException} from storage: 422, with storage's message;</li>
 *   <li>a storage error for which {@link StorageBackend#isOverCapacity(Throwable)} holds: 503;</li>
 *   <li>anything else: 500 with a generic message; the cause is logged here, at most once per 10 seconds, with
 *       the number of failures left unlogged since.</li>
 * </ul>
 * Thread-safe.
 */
final class ErrorResponses {

    private static final Logger logger = LoggerFactory.getLogger(ErrorResponses.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final StorageBackend storage;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    ErrorResponses(StorageBackend storage) {
        this.storage = storage;
    }

    static HttpResponse json(HttpStatus status, byte[] body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }

    static HttpResponse error(HttpStatus status, String message) {
        return json(status, JsonOutput.error(message));
    }

    HttpResponse toResponse(QueryType type, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof ApiException api) {
            return error(api.status(), api.getMessage());
        }
        if (cause instanceof QueryLimitExceededException limit) {
            return error(HttpStatus.UNPROCESSABLE_ENTITY, "query limit exceeded: " + limit.getMessage());
        }
        if (isOverCapacity(cause)) {
            String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
            return error(HttpStatus.SERVICE_UNAVAILABLE, "storage is over capacity, retry later" + detail);
        }
        logThrottled(type, cause);
        return error(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error while answering the " + type.tagValue() + " query; see the server log");
    }

    private boolean isOverCapacity(Throwable cause) {
        try {
            return storage.isOverCapacity(cause);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private void logThrottled(QueryType type, Throwable cause) {
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            logger.atError()
                    .addKeyValue("query_type", type.tagValue())
                    .addKeyValue("unlogged_failures", unlogged.getAndSet(0))
                    .setCause(cause)
                    .log("REST query failed");
        } else {
            unlogged.incrementAndGet();
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
