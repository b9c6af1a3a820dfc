package io.otelservices.query.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.ServiceDependency;
import io.otelservices.storage.TimeRange;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code GET /api/v1/dependencies}: calls between services, from {@link DependencyReader#dependencies}. */
final class DependencyService {

    static final List<String> FIELDS = List.of("start_time", "end_time");

    private final DependencyReader dependencies;
    private final Clock clock;
    private final QueryCache cache;

    DependencyService(DependencyReader dependencies, Clock clock, QueryCache cache) {
        this.dependencies = dependencies;
        this.clock = clock;
        this.cache = cache;
    }

    CompletableFuture<byte[]> dependencies(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        TimeRange range = RequestFields.ofQueryParams(ctx.queryParams(), FIELDS).timeRange(clock);
        return cache.get(QueryType.DEPENDENCIES, range, range, () -> dependencies.dependencies(range)
                .thenApplyAsync(found -> render(range, found), ctx.blockingTaskExecutor()));
    }

    static byte[] render(TimeRange range, List<ServiceDependency> dependencies) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.time("start_time", range.startNanos());
        out.time("end_time", range.endNanos());
        out.startArray("dependencies");
        for (ServiceDependency dependency : dependencies) {
            out.startObject();
            out.string("parent", dependency.parent());
            out.string("child", dependency.child());
            out.number("call_count", dependency.callCount());
            out.number("error_count", dependency.errorCount());
            out.endObject();
        }
        out.endArray();
        out.endObject();
        return out.toBytes();
    }
}
