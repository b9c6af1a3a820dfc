package io.otelservices.storage.duckdb;

import io.otelservices.storage.objectstore.ObjectStore;
import io.otelservices.storage.objectstore.S3Config;
import io.otelservices.storage.objectstore.S3ObjectStore;
import io.otelservices.storage.objectstore.S3ProxyExtension;
import io.otelservices.storage.objectstore.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cold tier on a real S3 server (S3Proxy in a child JVM, see {@link S3ProxyServer}); each test under its own key
 * prefix of one bucket. Skipped, with the reason, when S3Proxy cannot start.
 */
class S3ColdTierTest extends ColdTierTest {
    private static final String BUCKET = "otelservices-cold-tier";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static boolean bucketCreated;

    private final List<ObjectStore> stores = new ArrayList<>();

    @Override
    protected ObjectStore newStore() {
        synchronized (S3ColdTierTest.class) {
            if (!bucketCreated) {
                S3.server().createBucket(BUCKET);
                bucketCreated = true;
            }
        }
        return open(S3.server().endpoint(), "cold-" + PREFIXES.incrementAndGet());
    }

    /** A store whose endpoint is a port nobody listens on: every request is refused. */
    @Override
    protected ObjectStore unreachableStore() {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port", e);
        }
        return open(URI.create("http://127.0.0.1:" + port), "unreachable");
    }

    private ObjectStore open(URI endpoint, String prefix) {
        ObjectStore store = new S3ObjectStore(new S3Config(endpoint, S3ProxyServer.REGION, BUCKET, prefix,
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(ObjectStore::close);
    }
}
