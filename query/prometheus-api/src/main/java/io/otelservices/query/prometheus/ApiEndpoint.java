package io.otelservices.query.prometheus;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One route of the Prometheus API: checks the method (GET, and POST where Prometheus takes it: 405 otherwise),
 * aggregates the request without blocking, then parses its parameters and runs the {@link ApiHandler} on the
 * request's blocking-task executor (queries block on storage and use CPU; never the event loop). Every answer is
 * recorded in {@link ApiMetrics}; every failure becomes Prometheus' error envelope with its status here, the one place
 * that maps errors, and is logged once as a structured line. Thread-safe.
 */
final class ApiEndpoint implements HttpService {

    private static final Logger logger = LoggerFactory.getLogger(ApiEndpoint.class);
    private static final int MAX_LOGGED_QUERY_CHARS = 2000;

    private final String name;
    private final boolean postAllowed;
    private final ApiHandler handler;
    private final ApiMetrics metrics;
    private final Duration requestTimeout;

    /**
     * @param name the endpoint's name in metrics and logs ({@code query}, {@code query_range}, ...)
     * @param requestTimeout how long the whole request may take: the engine's timeout and some slack, so that the
     *     engine reports its own timeout before the server cuts the request off
     */
    ApiEndpoint(String name, boolean postAllowed, ApiHandler handler, ApiMetrics metrics, Duration requestTimeout) {
        this.name = name;
        this.postAllowed = postAllowed;
        this.handler = handler;
        this.metrics = metrics;
        this.requestTimeout = requestTimeout;
        metrics.register(name);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        long startNanos = System.nanoTime();
        HttpMethod method = req.method();
        if (method != HttpMethod.GET && !(postAllowed && method == HttpMethod.POST)) {
            metrics.record(name, startNanos, ErrorType.BAD_DATA, 0);
            String allowed = postAllowed ? "GET, POST" : "GET";
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                            .contentType(MediaType.JSON_UTF_8).set(HttpHeaderNames.ALLOW, allowed).build(),
                    HttpData.wrap(ResponseJson.error(ErrorType.BAD_DATA,
                            "method: " + method + " (expected: " + allowed.replace(", ", " or ") + ")")));
        }
        ctx.setRequestTimeout(TimeoutMode.SET_FROM_NOW, requestTimeout);
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenApplyAsync(request -> answer(ctx, request, startNanos), ctx.blockingTaskExecutor());
        return HttpResponse.of(response);
    }

    private HttpResponse answer(ServiceRequestContext ctx, AggregatedHttpRequest request, long startNanos) {
        RequestParams params = null;
        try {
            params = RequestParams.of(ctx.query(), request);
            ApiResult result = handler.handle(ctx, params);
            if (result == null) {
                metrics.record(name, startNanos, null, 0);
                return HttpResponse.of(HttpStatus.NO_CONTENT);
            }
            byte[] body = ResponseJson.success(result.data(), result.warnings(), result.infos());
            metrics.record(name, startNanos, null, result.samplesRead());
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body);
        } catch (ApiException e) {
            return failed(e.type(), e.getMessage(), e.getCause(), params, startNanos);
        } catch (RuntimeException e) {
            return failed(ErrorType.INTERNAL, String.valueOf(e), e, params, startNanos);
        }
    }

    private HttpResponse failed(ErrorType type, String message, Throwable cause, RequestParams params,
            long startNanos) {
        metrics.record(name, startNanos, type, 0);
        log(type, message, cause, params, startNanos);
        return HttpResponse.of(type.status(), MediaType.JSON_UTF_8, ResponseJson.error(type, message));
    }

    /**
     * One line per failed request: a client's mistake ({@code bad_data}) at INFO, a query that could not run at
     * WARN, a server failure at ERROR with its cause.
     */
    private void log(ErrorType type, String message, Throwable cause, RequestParams params, long startNanos) {
        LoggingEventBuilder event = switch (type) {
            case BAD_DATA, NOT_FOUND -> logger.atInfo();
            case INTERNAL -> logger.atError().setCause(cause);
            default -> logger.atWarn();
        };
        String query = params == null ? "" : params.value("query");
        if (query.isEmpty() && params != null) {
            query = String.join(" ", params.values("match[]"));
        }
        if (query.length() > MAX_LOGGED_QUERY_CHARS) {
            query = query.substring(0, MAX_LOGGED_QUERY_CHARS) + "...";
        }
        event.addKeyValue("endpoint", name)
                .addKeyValue("error_type", type.wireName())
                .addKeyValue("status", type.status().code())
                .addKeyValue("duration_ms", (System.nanoTime() - startNanos) / 1_000_000)
                .addKeyValue("query", query)
                .addKeyValue("error", message)
                .log("Prometheus API request failed");
    }
}
