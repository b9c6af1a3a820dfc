package io.otelservices.query.prometheus;

import com.linecorp.armeria.server.ServiceRequestContext;

/** One endpoint's work, run on the request's blocking-task executor. */
@FunctionalInterface
interface ApiHandler {

    /**
     * @return the answer, or {@code null} for {@code 204 No Content} (Prometheus' answer when there is no data, such
     *     as exemplars of a query without selectors)
     * @throws ApiException for a request Prometheus would refuse, with its message
     */
    ApiResult handle(ServiceRequestContext ctx, RequestParams params);
}
