package io.otelservices.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import io.otelservices.storage.CheckResult;
import io.otelservices.storage.StorageBackend;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (liveness: the process answers) and {@code /ready} (storage open and writable, ingest running),
 * served on the collector and query ports alike.
 */
final class HealthEndpoints {

    private final StorageBackend storage;
    private final BooleanSupplier ingestReady;

    HealthEndpoints(StorageBackend storage, BooleanSupplier ingestReady) {
        this.storage = storage;
        this.ingestReady = ingestReady;
    }

    void addTo(ServerBuilder sb) {
        sb.service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"UP\"}"));
        // The storage check may touch the database: keep it off the event loop.
        sb.service("/ready", (ctx, req) -> HttpResponse.of(() -> ready(), ctx.blockingTaskExecutor()));
    }

    private HttpResponse ready() {
        CheckResult storageCheck = storage.check();
        boolean ingestOk = ingestReady.getAsBoolean();
        if (storageCheck.ok() && ingestOk) {
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"READY\"}");
        }
        String reason = !storageCheck.ok()
                ? "storage: " + String.valueOf(storageCheck.error())
                : "ingest pipeline is not running";
        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                "{\"status\":\"NOT_READY\",\"reason\":" + JsonText.quote(reason) + "}");
    }
}
