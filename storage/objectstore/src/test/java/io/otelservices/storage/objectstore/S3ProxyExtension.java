package io.otelservices.storage.objectstore;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives test classes one {@link S3ProxyServer} for the whole test run: started by the first class that needs it,
 * stopped when JUnit closes its root store at the end. If it cannot start, the classes using it are skipped with the
 * reason and how to run them.
 */
final class S3ProxyExtension implements BeforeAllCallback {
    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Started started = store.getOrComputeIfAbsent(Started.class, type -> Started.start(), Started.class);
        Assumptions.assumeTrue(started.server != null,
                () -> "S3 tests skipped: " + started.failure);
        server = started.server;
    }

    S3ProxyServer server() {
        return server;
    }

    /** The shared outcome of starting S3Proxy; closed (and the server stopped) with JUnit's root store. */
    private static final class Started implements AutoCloseable {
        final S3ProxyServer server;
        final String failure;

        private Started(S3ProxyServer server, String failure) {
            this.server = server;
            this.failure = failure;
        }

        static Started start() {
            try {
                return new Started(S3ProxyServer.start(), null);
            } catch (IllegalStateException | IOException e) {
                return new Started(null, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Started(null, "interrupted while starting S3Proxy");
            }
        }

        @Override
        public void close() throws IOException {
            if (server != null) {
                server.close();
            }
        }
    }
}
