package io.otelservices.ingest.prometheus;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import io.otelservices.ingest.IngestUnavailableException;
import io.otelservices.ingest.logging.LogThrottle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-write answers, as Prometheus' own receiver gives them: an empty 204 on success, a plain-text message
 * otherwise. Every error category maps to its status here (requests refused as a whole: in
 * {@link RemoteWriteException}'s factories) and nowhere else:
 * <pre>
 * stored                                                                       204
 * some samples rejected (bad labels, out of order, duplicate timestamp, ...)  400  (the others are stored)
 * not snappy, not a WriteRequest, empty body                                  400
 * body too large (sent or decompressed)                                       413
 * Content-Type other than application/x-protobuf, Content-Encoding not snappy 415
 * method other than POST                                                      405  Allow: POST
 * overloaded, write-ahead log failing, shutting down                          503  Retry-After (as OTLP/HTTP)
 * anything else (a bug)                                                       500
 * </pre>
 * Prometheus retries 5xx answers and drops what a 4xx answer refused.
 */
final class RemoteWriteAnswers {

    private static final Logger log = LoggerFactory.getLogger(RemoteWriteAnswers.class);
    private static final LogThrottle internalErrorLog = new LogThrottle(Duration.ofSeconds(10));

    /** An answer and the {@code reason} tag it is counted under. */
    record Answer(AggregatedHttpResponse response, String reason) {}

    private RemoteWriteAnswers() {}

    static Answer stored() {
        return new Answer(AggregatedHttpResponse.of(HttpStatus.NO_CONTENT), "ok");
    }

    static Answer samplesRejected(String message) {
        return new Answer(text(HttpStatus.BAD_REQUEST, message), "rejected_samples");
    }

    static Answer methodNotAllowed(String method) {
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                .contentType(MediaType.PLAIN_TEXT_UTF_8)
                .add(HttpHeaderNames.ALLOW, "POST")
                .build();
        return new Answer(AggregatedHttpResponse.of(headers,
                HttpData.ofUtf8("method: " + method + " (expected: POST)\n")),
                "method_not_allowed");
    }

    /** The answer for a failed request; {@code error} may be wrapped in completion exceptions. */
    static Answer failure(Throwable error) {
        Throwable cause = Exceptions.peel(error);
        if (cause instanceof RemoteWriteException refused) {
            return new Answer(text(refused.status(), refused.getMessage()), refused.reason());
        }
        if (cause instanceof ContentTooLargeException tooLarge) {
            return new Answer(text(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + tooLarge.maxContentLength() + " bytes"), "too_large");
        }
        if (cause instanceof IngestUnavailableException unavailable) {
            long seconds = Math.max(1, unavailable.retryAfter().toSeconds());
            ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.PLAIN_TEXT_UTF_8)
                    .add(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
                    .build();
            return new Answer(AggregatedHttpResponse.of(headers,
                    HttpData.ofUtf8(unavailable.getMessage() + "\n")),
                    unavailable.reason().tagValue());
        }
        long suppressed = internalErrorLog.tryAcquire();
        if (suppressed >= 0) {
            log.atError().setCause(cause).addKeyValue("suppressed", suppressed).log("remote write request failed");
        }
        return new Answer(text(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error: " + cause.getClass().getSimpleName()), "internal");
    }

    private static AggregatedHttpResponse text(HttpStatus status, String message) {
        return AggregatedHttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8,
                message.endsWith("\n") ? message : message + "\n");
    }
}
