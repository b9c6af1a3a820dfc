package io.otelservices.ingest.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.ingest.Signal;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OTLP/HTTP endpoint ({@code POST /v1/traces} and its siblings). Checks method, media type and encoding on
 * the event loop, then decodes, validates and converts on the blocking task executor; the answer is sent once the
 * request is durable.
 */
final class OtlpHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(OtlpHttpService.class);

    private final Signal signal;
    private final ExportProcessor processor;
    private final long maxRequestBytes;

    OtlpHttpService(Signal signal, ExportProcessor processor, long maxRequestBytes) {
        this.signal = requireNonNull(signal, "signal");
        this.processor = requireNonNull(processor, "processor");
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        BodyFormat format = BodyFormat.of(req.contentType());
        BodyFormat answerFormat = format != null ? format : BodyFormat.JSON;
        if (req.method() != HttpMethod.POST) {
            processor.requestRejected(signal, "method_not_allowed");
            return HttpAnswers.methodNotAllowed(answerFormat, req.method().name());
        }
        if (format == null) {
            return refuse(answerFormat, new OtlpRequestException(OtlpRequestException.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Type: " + req.headers().get(HttpHeaderNames.CONTENT_TYPE)
                            + " (expected: application/x-protobuf or application/json)"));
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        boolean gzip;
        if (encoding == null || encoding.isBlank() || "identity".equalsIgnoreCase(encoding.trim())) {
            gzip = false;
        } else if ("gzip".equalsIgnoreCase(encoding.trim()) || "x-gzip".equalsIgnoreCase(encoding.trim())) {
            gzip = true;
        } else {
            return refuse(format, new OtlpRequestException(OtlpRequestException.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding: " + encoding + " (expected: gzip or none)"));
        }
        long declaredLength = req.headers().contentLength();
        if (declaredLength > maxRequestBytes) {
            return refuse(format, new OtlpRequestException(OtlpRequestException.Kind.TOO_LARGE,
                    "request body of " + declaredLength + " bytes is larger than " + maxRequestBytes + " bytes"));
        }
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenComposeAsync(aggregated -> handle(format, gzip, aggregated.content().array()),
                        ctx.blockingTaskExecutor())
                .exceptionally(error -> {
                    count(error);
                    return HttpAnswers.failure(format, error);
                });
        return HttpResponse.of(response);
    }

    private CompletableFuture<HttpResponse> handle(BodyFormat format, boolean gzip, byte[] body) {
        try {
            byte[] decoded = gzip ? GzipBodies.gunzip(body, maxRequestBytes) : body;
            Message request = processor.decode(signal, format, decoded);
            byte[] protobufBody = format == BodyFormat.PROTOBUF ? decoded : null;
            return processor.export(signal, request, protobufBody)
                    .thenApply(response -> HttpAnswers.success(format, response));
        } catch (OtlpRequestException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private HttpResponse refuse(BodyFormat format, OtlpRequestException error) {
        count(error);
        return HttpAnswers.failure(format, error);
    }

    private void count(Throwable error) {
        Throwable cause = Exceptions.peel(error);
        if (cause instanceof OtlpRequestException rejected) {
            processor.requestRejected(signal, rejected.kind().tagValue());
            log.atDebug().addKeyValue("signal", signal.tagValue()).addKeyValue("reason", rejected.kind().tagValue())
                    .addKeyValue("message", rejected.getMessage()).log("OTLP/HTTP request refused");
        } else if (cause instanceof com.linecorp.armeria.common.ContentTooLargeException) {
            processor.requestRejected(signal, OtlpRequestException.Kind.TOO_LARGE.tagValue());
        }
    }
}
