package io.otelservices.storage.objectstore;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives test classes one {@link S3ProxyServer} for the whole test run: started by the first class that needs it,
 * stopped when JUnit closes its root store at the end. If it cannot start, the classes using it are skipped with the
 * reason and how to run them. Public, in this module's test-jar, for other modules' tests of the cold tier
 * ({@code storage/duckdb}).
 */
public final class S3ProxyExtension implements BeforeAllCallback, BeforeEachCallback {
    private Started started;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        started = store.getOrComputeIfAbsent(Started.class, type -> Started.start(), Started.class);
    }

    /** Skips each test, rather than the class, so that reports count the skipped tests and show why. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(started.server != null, () -> "S3 tests skipped: " + started.failure);
    }

    public S3ProxyServer server() {
        return started.server;
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
