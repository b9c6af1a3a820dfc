package io.otelservices.ingest.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import io.otelservices.ingest.IngestUnavailableException;
import io.otelservices.ingest.logging.LogThrottle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP answers (OTLP specification, "OTLP/HTTP Response"), in the request's format. Every error category maps
 * to its HTTP status here and nowhere else:
 * <pre>
 * bad data (malformed body, bad gzip, wrong-length ids, unknown enum name)  400  google.rpc.Status INVALID_ARGUMENT
 * body too large (sent or decompressed)                                     413  RESOURCE_EXHAUSTED
 * unsupported Content-Type or Content-Encoding                              415  INVALID_ARGUMENT
 * method other than POST                                                    405  (Allow: POST) UNIMPLEMENTED
 * overloaded, write-ahead log failing, shutting down                        503  Retry-After, UNAVAILABLE + RetryInfo
 * anything else (a bug)                                                     500  INTERNAL
 * </pre>
 */
final class HttpAnswers {

    private static final Logger log = LoggerFactory.getLogger(HttpAnswers.class);
    private static final LogThrottle internalErrorLog = new LogThrottle(Duration.ofSeconds(10));
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer()
            .omittingInsignificantWhitespace()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build());

    private HttpAnswers() {}

    static HttpResponse success(BodyFormat format, Message response) {
        return HttpResponse.of(HttpStatus.OK, format.mediaType(), encode(format, response));
    }

    static HttpResponse methodNotAllowed(BodyFormat format, String method) {
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                .contentType(format.mediaType())
                .add(HttpHeaderNames.ALLOW, "POST")
                .build();
        Status status = status(Code.UNIMPLEMENTED, "method " + method + " not allowed (expected: POST)");
        return HttpResponse.of(headers, HttpData.wrap(encode(format, status)));
    }

    /** The answer for a failed request; {@code error} may be wrapped in completion exceptions. */
    static HttpResponse failure(BodyFormat format, Throwable error) {
        Throwable cause = Exceptions.peel(error);
        if (cause instanceof OtlpRequestException rejected) {
            return switch (rejected.kind()) {
                case BAD_DATA -> error(format, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, rejected.getMessage());
                case TOO_LARGE -> error(format, HttpStatus.REQUEST_ENTITY_TOO_LARGE, Code.RESOURCE_EXHAUSTED,
                        rejected.getMessage());
                case UNSUPPORTED_MEDIA_TYPE -> error(format, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        Code.INVALID_ARGUMENT, rejected.getMessage());
            };
        }
        if (cause instanceof ContentTooLargeException tooLarge) {
            return error(format, HttpStatus.REQUEST_ENTITY_TOO_LARGE, Code.RESOURCE_EXHAUSTED,
                    "request body larger than " + tooLarge.maxContentLength() + " bytes");
        }
        if (cause instanceof IngestUnavailableException unavailable) {
            long seconds = Math.max(1, unavailable.retryAfter().toSeconds());
            Status status = Status.newBuilder()
                    .setCode(Code.UNAVAILABLE_VALUE)
                    .setMessage(unavailable.getMessage())
                    .addDetails(Any.pack(retryInfo(unavailable.retryAfter())))
                    .build();
            ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(format.mediaType())
                    .add(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
                    .build();
            return HttpResponse.of(headers, HttpData.wrap(encode(format, status)));
        }
        long suppressed = internalErrorLog.tryAcquire();
        if (suppressed >= 0) {
            log.atError().setCause(cause).addKeyValue("suppressed", suppressed).log("OTLP/HTTP request failed");
        }
        return error(format, HttpStatus.INTERNAL_SERVER_ERROR, Code.INTERNAL,
                "internal error: " + cause.getClass().getSimpleName());
    }

    static RetryInfo retryInfo(Duration retryAfter) {
        return RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(retryAfter.getSeconds())
                        .setNanos(retryAfter.getNano()))
                .build();
    }

    private static HttpResponse error(BodyFormat format, HttpStatus httpStatus, Code code, String message) {
        return HttpResponse.of(httpStatus, format.mediaType(), encode(format, status(code, message)));
    }

    private static Status status(Code code, String message) {
        return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    }

    private static byte[] encode(BodyFormat format, Message message) {
        if (format == BodyFormat.PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields of unregistered types fail; ours are registered.
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }
}
