package io.otelservices.storage.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link S3ObjectStore} against a real S3 server (S3Proxy in a child JVM, see {@link S3ProxyServer}). Every test
 * works under its own key prefix in one bucket; lists page two keys at a time so the contract's list tests page.
 */
class S3ObjectStoreTest extends ObjectStoreContract {
    private static final String BUCKET = "otelservices-test";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final long PART_BYTES = S3ObjectStore.MIN_PART_SIZE_BYTES;

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static boolean bucketCreated;

    private String prefix;
    private TruncatingProxy proxy;

    @Override
    protected ObjectStore newStore() {
        synchronized (S3ObjectStoreTest.class) {
            if (!bucketCreated) {
                S3.server().createBucket(BUCKET);
                bucketCreated = true;
            }
        }
        prefix = "test-" + PREFIXES.incrementAndGet() + "/";
        return new S3ObjectStore(config(S3.server().endpoint(), BUCKET, S3ProxyServer.SECRET_KEY), PART_BYTES,
                PART_BYTES, 2);
    }

    @Override
    protected ObjectStore storeWhoseDownloadsBreakOff() throws IOException {
        proxy = new TruncatingProxy(S3.server().endpoint().getPort(), Long.MAX_VALUE, MIB);
        return new S3ObjectStore(config(URI.create("http://127.0.0.1:" + proxy.port()), BUCKET,
                S3ProxyServer.SECRET_KEY));
    }

    @AfterEach
    void closeProxy() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
    }

    private S3Config config(URI endpoint, String bucket, String secretKey) {
        return new S3Config(endpoint, S3ProxyServer.REGION, bucket, prefix, S3ProxyServer.ACCESS_KEY, secretKey);
    }

    @Test
    void put_storesObjectUnderConfiguredPrefix() throws IOException {
        store.put("traces/block", randomFile("source.bin", 10, 1));

        try (S3Client client = S3.server().newClient()) {
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents())
                    .extracting(S3Object::key)
                    .containsExactly(prefix + "traces/block");
        }
    }

    @Test
    void put_fileAboveMultipartThreshold_uploadsInPartsAndRoundTrips() throws IOException {
        Path source = randomFile("large.bin", (int) (2 * PART_BYTES + MIB), 2);

        store.put("large", source);

        Path target = temp.resolve("large-downloaded.bin");
        store.get("large", target);
        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
        try (S3Client client = S3.server().newClient()) {
            // a multipart object's ETag ends in -<number of parts>
            assertThat(client.headObject(b -> b.bucket(BUCKET).key(prefix + "large")).eTag()).endsWith("-3\"");
        }
    }

    @Test
    void put_multipartUploadBreaksOff_leavesPreviousObjectWhole() throws IOException {
        Path previous = randomFile("previous.bin", 1000, 3);
        store.put("block", previous);
        Path large = randomFile("large.bin", (int) (2 * PART_BYTES + MIB), 4);

        try (TruncatingProxy breaking = new TruncatingProxy(S3.server().endpoint().getPort(), PART_BYTES + MIB,
                        Long.MAX_VALUE);
                ObjectStore breakingStore = new S3ObjectStore(config(URI.create("http://127.0.0.1:" + breaking.port()),
                        BUCKET, S3ProxyServer.SECRET_KEY), PART_BYTES, PART_BYTES, 1000)) {
            assertFails(Reason.UNREACHABLE, () -> breakingStore.put("block", large));
        }

        Path target = temp.resolve("downloaded.bin");
        store.get("block", target);
        assertThat(Files.mismatch(previous, target)).isEqualTo(-1L);
    }

    @Test
    void operations_wrongSecretKey_throwAccessDeniedNamingTheAccessKey() throws IOException {
        Path file = randomFile("source.bin", 2 * MIB, 5); // big enough that the server refuses before reading it all
        try (ObjectStore wrong = new S3ObjectStore(config(S3.server().endpoint(), BUCKET, "not-the-secret"))) {
            assertFails(Reason.ACCESS_DENIED, wrong::check)
                    .hasMessageContaining("access denied")
                    .hasMessageContaining("access key '" + S3ProxyServer.ACCESS_KEY + "'")
                    .hasMessageNotContaining("not-the-secret");
            assertFails(Reason.ACCESS_DENIED, () -> wrong.put("block", file));
            assertFails(Reason.ACCESS_DENIED, () -> wrong.exists("block"));
            assertFails(Reason.ACCESS_DENIED, () -> wrong.list(""));
        }
    }

    @Test
    void operations_missingBucket_throwBucketNotFound() throws IOException {
        Path file = randomFile("source.bin", 2 * MIB, 6);
        try (ObjectStore missing = new S3ObjectStore(config(S3.server().endpoint(), "no-such-bucket",
                S3ProxyServer.SECRET_KEY))) {
            assertFails(Reason.BUCKET_NOT_FOUND, missing::check)
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist");
            assertFails(Reason.BUCKET_NOT_FOUND, () -> missing.put("block", file));
            assertFails(Reason.BUCKET_NOT_FOUND, () -> missing.get("block", temp.resolve("target")));
            assertFails(Reason.BUCKET_NOT_FOUND, () -> missing.list(""));
        }
    }

    @Test
    void check_nothingListening_throwsUnreachableNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort);
        try (ObjectStore unreachable = new S3ObjectStore(config(endpoint, BUCKET, S3ProxyServer.SECRET_KEY))) {
            assertFails(Reason.UNREACHABLE, unreachable::check)
                    .hasMessageContaining("cannot reach the S3 endpoint " + endpoint);
        }
    }

    @Test
    void blockCache_overS3_downloadsOnceAndServesLocalCopies() throws IOException {
        Path source = randomFile("block.bin", 2 * MIB, 7);
        store.put("traces/block", source);

        try (BlockCache cache = new BlockCache(store, temp.resolve("cache"), 10L * MIB)) {
            for (int i = 0; i < 3; i++) {
                try (BlockCache.Pinned block = cache.localCopy("traces/block")) {
                    assertThat(Files.mismatch(source, block.path())).isEqualTo(-1L);
                }
            }
            assertThat(cache.stats().misses()).isEqualTo(1);
            assertThat(cache.stats().hits()).isEqualTo(2);
        }
    }
}
