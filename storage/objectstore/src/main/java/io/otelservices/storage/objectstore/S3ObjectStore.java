package io.otelservices.storage.objectstore;

import static java.nio.file.StandardOpenOption.READ;
import static java.util.Objects.requireNonNull;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link ObjectStore} on S3-compatible object storage, through the AWS SDK for Java v2's synchronous client over
 * Apache HttpClient 5 (pooled connections, streamed bodies). Keys are stored as {@code config.prefix() + key}.
 *
 * <p>Files up to {@value #DEFAULT_MULTIPART_THRESHOLD_BYTES} bytes go up in one {@code PutObject}; larger ones as a
 * multipart upload of {@value #DEFAULT_PART_SIZE_BYTES}-byte parts, sent one after another, which S3 shows only once
 * {@code CompleteMultipartUpload} succeeds and which is aborted on failure. Either way the object is whole or
 * absent. Uploads carry CRC32 checksums that the server verifies. Failed requests are retried by the SDK's standard
 * strategy (3 attempts); a download that breaks off mid-body is not resumed but fails, leaving no partial file.
 *
 * <p>Thread-safe: one instance serves all callers; its connection pool holds up to {@value #MAX_CONNECTIONS}
 * connections.
 */
public final class S3ObjectStore implements ObjectStore {
    static final long DEFAULT_MULTIPART_THRESHOLD_BYTES = 64L * 1024 * 1024;
    static final long DEFAULT_PART_SIZE_BYTES = 16L * 1024 * 1024;
    static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    /** S3's limits on multipart uploads. */
    static final long MIN_PART_SIZE_BYTES = 5L * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final int MAX_CONNECTIONS = 32;
    private static final int COPY_BUFFER_BYTES = 256 * 1024;

    private final S3Config config;
    private final S3Client client;
    private final long multipartThresholdBytes;
    private final long partSizeBytes;
    private final int listPageSize;

    /** A store with the default multipart threshold, part size and list page size. */
    public S3ObjectStore(S3Config config) {
        this(config, DEFAULT_MULTIPART_THRESHOLD_BYTES, DEFAULT_PART_SIZE_BYTES, DEFAULT_LIST_PAGE_SIZE);
    }

    /** For tests: small parts and pages exercise multipart uploads and paging cheaply. */
    S3ObjectStore(S3Config config, long multipartThresholdBytes, long partSizeBytes, int listPageSize) {
        this.config = requireNonNull(config, "config");
        if (partSizeBytes < MIN_PART_SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "partSizeBytes: " + partSizeBytes + " (expected: >= " + MIN_PART_SIZE_BYTES + ", S3's minimum)");
        }
        if (multipartThresholdBytes < partSizeBytes) {
            throw new IllegalArgumentException("multipartThresholdBytes: " + multipartThresholdBytes
                    + " (expected: >= partSizeBytes " + partSizeBytes + ")");
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("listPageSize: " + listPageSize + " (expected: 1..1000)");
        }
        this.multipartThresholdBytes = multipartThresholdBytes;
        this.partSizeBytes = partSizeBytes;
        this.listPageSize = listPageSize;
        this.client = S3Client.builder()
                .endpointOverride(config.endpoint())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .build();
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        if (!config.hasStaticCredentials()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    }

    /** The configuration this store was built with. */
    public S3Config config() {
        return config;
    }

    @Override
    public void put(String key, Path file) {
        ObjectKey.validate(key);
        requireNonNull(file, "file");
        String objectKey = config.prefix() + key;
        FileChannel channel;
        try {
            channel = FileChannel.open(file, READ);
        } catch (NoSuchFileException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot upload " + file + " as " + describe(key) + ": no such file", e);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot upload " + file + " as " + describe(key) + ": cannot read it: " + e, e);
        }
        try (channel) {
            long size = channel.size();
            if (size > multipartThresholdBytes) {
                putMultipart(objectKey, channel, size);
            } else {
                client.putObject(b -> b.bucket(config.bucket()).key(objectKey).contentLength(size)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        body(channel, 0, size));
            }
        } catch (SdkException e) {
            String operation = "upload " + file + " as";
            throw diagnoseUpload(operation + " " + describe(key), translate(operation, describe(key), e));
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot upload " + file + " as " + describe(key) + ": cannot read it: " + e, e);
        }
    }

    private void putMultipart(String objectKey, FileChannel channel, long size) {
        long partSize = Math.max(partSizeBytes, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = client.createMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < size; offset += partSize, partNumber++) {
                long length = Math.min(partSize, size - offset);
                int number = partNumber;
                UploadPartResponse uploaded = client.uploadPart(b -> b.bucket(config.bucket()).key(objectKey)
                                .uploadId(uploadId).partNumber(number).contentLength(length)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        body(channel, offset, length));
                parts.add(CompletedPart.builder()
                        .partNumber(number)
                        .eTag(uploaded.eTag())
                        .checksumCRC32(uploaded.checksumCRC32())
                        .build());
            }
            client.completeMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(objectKey, uploadId);
            }
        }
    }

    private void abortQuietly(String objectKey, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            // The upload failure is what the caller needs to see; an upload left behind is invisible (no object)
            // and a bucket lifecycle rule for incomplete multipart uploads removes it.
        }
    }

    private static RequestBody body(FileChannel channel, long offset, long length) {
        return RequestBody.fromContentProvider(
                () -> new FileRangeInputStream(channel, offset, length), length, "application/octet-stream");
    }

    @Override
    public void get(String key, Path target) {
        ObjectKey.validate(key);
        requireNonNull(target, "target");
        try {
            AtomicFile.write(target, channel -> download(key, channel));
        } catch (SdkException e) {
            throw translate("download", describe(key), e);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot download " + describe(key) + " to " + target + ": " + e, e);
        }
    }

    private void download(String key, FileChannel channel) throws IOException {
        ResponseInputStream<GetObjectResponse> in =
                client.getObject(b -> b.bucket(config.bucket()).key(config.prefix() + key));
        boolean complete = false;
        try {
            Long expected = in.response().contentLength();
            long copied = copy(key, in, channel);
            if (expected != null && copied != expected) {
                throw new ObjectStoreException(Reason.UNREACHABLE,
                        "cannot download " + describe(key) + ": the response ended after " + copied + " of "
                                + expected + " bytes");
            }
            complete = true;
        } finally {
            if (!complete) {
                // Drop the connection rather than drain the rest of a body nobody will read.
                in.abort();
            }
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Either every byte arrived already, or a failure that says more is on its way up.
        }
    }

    private long copy(String key, InputStream in, FileChannel channel) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long copied = 0;
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (InterruptedIOException e) {
                throw interrupted("download " + describe(key), e);
            } catch (IOException e) {
                throw new ObjectStoreException(Reason.UNREACHABLE,
                        "cannot download " + describe(key) + ": the connection broke after " + copied + " bytes: "
                                + e, e);
            }
            if (read < 0) {
                return copied;
            }
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            copied += read;
        }
    }

    @Override
    public boolean exists(String key) {
        ObjectKey.validate(key);
        try {
            head(key);
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw translate("look up", describe(key), e);
        } catch (SdkException e) {
            throw translate("look up", describe(key), e);
        }
    }

    @Override
    public long size(String key) {
        ObjectKey.validate(key);
        try {
            return head(key).contentLength();
        } catch (SdkException e) {
            throw translate("look up", describe(key), e);
        }
    }

    private HeadObjectResponse head(String key) {
        return client.headObject(b -> b.bucket(config.bucket()).key(config.prefix() + key));
    }

    @Override
    public void delete(String key) {
        ObjectKey.validate(key);
        try {
            client.deleteObject(b -> b.bucket(config.bucket()).key(config.prefix() + key));
        } catch (AwsServiceException e) {
            // S3 answers 204 for a missing key; some compatible servers answer 404 NoSuchKey. Both mean "gone".
            if (!"NoSuchKey".equals(errorCode(e))) {
                throw translate("delete", describe(key), e);
            }
        } catch (SdkException e) {
            throw translate("delete", describe(key), e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKey.validatePrefix(prefix);
        int strip = config.prefix().length();
        List<ObjectInfo> objects = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(
                    b -> b.bucket(config.bucket()).prefix(config.prefix() + prefix).maxKeys(listPageSize))) {
                for (S3Object object : page.contents()) {
                    objects.add(new ObjectInfo(object.key().substring(strip), object.size(), object.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw translate("list", "the keys starting with '" + prefix + "' in " + describeBucket(), e);
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    @Override
    public void check() {
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                throw new ObjectStoreException(Reason.BUCKET_NOT_FOUND, bucketMissing(), e);
            }
            throw translate("check", describeBucket(), e);
        } catch (SdkException e) {
            throw translate("check", describeBucket(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + config.endpoint() + "/" + config.bucket() + "/" + config.prefix() + "]";
    }

    /** Turns an SDK failure into a message that names the operation, the object, the server and what to check. */
    private ObjectStoreException translate(String action, String what, SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = errorCode(service);
            String answer = "the server answered " + status + (code == null ? "" : " " + code);
            if ("NoSuchBucket".equals(code)) {
                return new ObjectStoreException(Reason.BUCKET_NOT_FOUND, bucketMissing(), e);
            }
            if ("NoSuchKey".equals(code) || status == 404) {
                return new ObjectStoreException(Reason.NOT_FOUND, "cannot " + action + " " + what + ": no such key ("
                        + answer + ")", e);
            }
            if (status == 401 || status == 403) {
                String who = config.hasStaticCredentials()
                        ? "access key '" + config.accessKey() + "' and its secret key"
                        : "the credentials found by the AWS default credentials chain";
                return new ObjectStoreException(Reason.ACCESS_DENIED, "cannot " + action + " " + what
                        + ": access denied (" + answer + "); check " + who + ", and that they may use bucket '"
                        + config.bucket() + "'", e);
            }
            if (status >= 500) {
                return new ObjectStoreException(Reason.UNREACHABLE, "cannot " + action + " " + what + ": "
                        + answer + " after retries; the server is failing or overloaded", e);
            }
            return new ObjectStoreException(Reason.OTHER, "cannot " + action + " " + what + ": " + answer + ": "
                    + service.getMessage(), e);
        }
        if (e instanceof AbortedException || hasCause(e, InterruptedException.class)
                || hasCause(e, InterruptedIOException.class) && !hasCause(e, SocketTimeoutException.class)) {
            return interrupted(action + " " + what, e);
        }
        // unknown host, connection refused or reset, timeouts, a broken pipe: all I/O on the way to the server
        if (hasCause(e, IOException.class)) {
            return new ObjectStoreException(Reason.UNREACHABLE, "cannot " + action + " " + what
                    + ": cannot reach the S3 endpoint " + config.endpoint() + " (" + rootMessage(e)
                    + "); check the endpoint and the network", e);
        }
        return new ObjectStoreException(Reason.OTHER, "cannot " + action + " " + what + ": " + e.getMessage(), e);
    }

    private static ObjectStoreException interrupted(String operation, Exception e) {
        Thread.currentThread().interrupt();
        return new ObjectStoreException(Reason.INTERRUPTED, "interrupted while trying to " + operation, e);
    }

    /**
     * A server that refuses an upload (bad credentials, missing bucket) may answer before reading the body and close
     * the connection, which the client sees as a broken pipe. Asking the bucket tells the real reason.
     */
    private ObjectStoreException diagnoseUpload(String operation, ObjectStoreException failure) {
        if (failure.reason() != Reason.UNREACHABLE) {
            return failure;
        }
        try {
            check();
        } catch (ObjectStoreException diagnosis) {
            if (diagnosis.reason() == Reason.ACCESS_DENIED || diagnosis.reason() == Reason.BUCKET_NOT_FOUND) {
                return new ObjectStoreException(diagnosis.reason(),
                        "cannot " + operation + ": " + diagnosis.getMessage(), failure);
            }
        }
        return failure;
    }

    private String describeBucket() {
        return "bucket '" + config.bucket() + "' at " + config.endpoint();
    }

    private String bucketMissing() {
        return "bucket '" + config.bucket() + "' does not exist at " + config.endpoint()
                + "; create it, or fix the bucket name in the configuration";
    }

    private String describe(String key) {
        return "'" + key + "' (s3 object " + config.bucket() + "/" + config.prefix() + key + " at "
                + config.endpoint() + ")";
    }

    private static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        return details == null ? null : details.errorCode();
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
