package io.otelservices.query.rest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;

/**
 * One route of the API: checks the method (405 with {@code Allow}) and, for POST, that the content type is JSON
 * or absent (415); aggregates the request without blocking, runs the {@link QueryHandler}, maps failures through
 * {@link ErrorResponses}, and records {@link QueryMetrics} for every answer.
 */
final class QueryEndpoint implements HttpService {

    private final HttpMethod method;
    private final QueryType type;
    private final QueryHandler handler;
    private final ErrorResponses errors;
    private final QueryMetrics metrics;

    QueryEndpoint(HttpMethod method, QueryType type, QueryHandler handler, ErrorResponses errors,
                  QueryMetrics metrics) {
        this.method = method;
        this.type = type;
        this.handler = handler;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        Timer.Sample sample = metrics.start();
        if (req.method() != method) {
            metrics.record(type, sample, true);
            return HttpResponse.of(
                    ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                            .contentType(MediaType.JSON_UTF_8)
                            .set(HttpHeaderNames.ALLOW, method.name())
                            .build(),
                    HttpData.wrap(JsonOutput.error(
                            "method: " + req.method() + " (expected: " + method + ")")));
        }
        MediaType contentType = req.contentType();
        if (method == HttpMethod.POST && contentType != null && !contentType.isJson()) {
            metrics.record(type, sample, true);
            return ErrorResponses.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "content-type: " + contentType + " (expected: application/json)");
        }
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenCompose(aggregated -> handler.handle(ctx, aggregated))
                .handle((body, error) -> {
                    HttpResponse answer = error == null
                            ? ErrorResponses.json(HttpStatus.OK, body)
                            : errors.toResponse(type, error);
                    metrics.record(type, sample, error != null);
                    return answer;
                });
        return HttpResponse.of(response);
    }
}
