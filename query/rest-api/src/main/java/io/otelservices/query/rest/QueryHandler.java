package io.otelservices.query.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.CompletableFuture;

/** Answers one endpoint's request with the JSON body of a 200 response, or fails (see {@link ErrorResponses}). */
@FunctionalInterface
interface QueryHandler {

    /**
     * Called on the event loop: parse and validate, then chain on the storage futures; CPU-heavy work goes to
     * {@link ServiceRequestContext#blockingTaskExecutor()}. May throw {@link ApiException} directly.
     */
    CompletableFuture<byte[]> handle(ServiceRequestContext ctx, AggregatedHttpRequest request);
}
