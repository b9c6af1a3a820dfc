package io.otelservices.storage.objectstore;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where and as whom {@link S3ObjectStore} talks to S3-compatible storage (AWS S3, MinIO, Ceph RGW, Garage, R2,
 * S3Proxy, ...). Requests use path-style addressing ({@code endpoint/bucket/key}), which every such server accepts.
 *
 * @param endpoint the server's base URL, {@code http} or {@code https}, without a path, such as
 *     {@code https://s3.eu-west-1.amazonaws.com} or {@code http://127.0.0.1:9000}
 * @param region the signing region, such as {@code us-east-1}; servers other than AWS usually accept any
 * @param bucket an existing bucket, named by S3's rules (3-63 of {@code a-z 0-9 . -}, starting and ending with a
 *     letter or digit); the store never creates it
 * @param prefix prepended to every key so several deployments can share a bucket; empty or {@code null} for none.
 *     A {@code /} is appended when missing, so {@code otelservices} and {@code otelservices/} are the same
 * @param accessKey the access key id, or {@code null} together with {@code secretKey} to use the AWS SDK's default
 *     credentials chain (environment, system properties, profile, container or instance role)
 * @param secretKey the secret access key, or {@code null}; never printed by {@link #toString()}
 */
public record S3Config(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Validates every field; messages name the field, the value and what is expected. */
    public S3Config {
        if (endpoint == null) {
            throw new IllegalArgumentException(
                    "endpoint: null (expected: the S3 server's URL, such as https://s3.eu-west-1.amazonaws.com)");
        }
        String scheme = endpoint.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(
                    "endpoint: " + endpoint + " (expected: an http:// or https:// URL with a host, such as "
                            + "http://127.0.0.1:9000)");
        }
        String path = endpoint.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")
                || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "endpoint: " + endpoint + " (expected: no path, query or fragment; the bucket goes in 'bucket' "
                            + "and a key prefix in 'prefix')");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(
                    "region: " + (region == null ? "null" : "\"" + region + "\"")
                            + " (expected: the signing region, such as us-east-1)");
        }
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException(
                    "bucket: " + bucket + " (expected: an S3 bucket name, 3-63 characters of a-z, 0-9, '.' and '-', "
                            + "starting and ending with a letter or digit)");
        }
        prefix = normalizePrefix(prefix);
        boolean hasAccessKey = accessKey != null;
        boolean hasSecretKey = secretKey != null;
        if (hasAccessKey != hasSecretKey) {
            throw new IllegalArgumentException(
                    (hasAccessKey ? "secretKey: null" : "accessKey: null")
                            + " (expected: both accessKey and secretKey, or neither to use the default credentials "
                            + "chain)");
        }
        if (hasAccessKey && (accessKey.isBlank() || secretKey.isBlank())) {
            throw new IllegalArgumentException(
                    (accessKey.isBlank() ? "accessKey" : "secretKey")
                            + ": blank (expected: a non-blank value, or null for both keys)");
        }
    }

    /** A configuration with static credentials and no key prefix. */
    public static S3Config of(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        return new S3Config(endpoint, region, bucket, "", accessKey, secretKey);
    }

    /** Whether the keys are given here, rather than found by the default credentials chain. */
    public boolean hasStaticCredentials() {
        return accessKey != null;
    }

    /** Every field but the secret key, which is shown as {@code ****} when set. */
    @Override
    public String toString() {
        return "S3Config[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? "null" : "****") + "]";
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String normalized = prefix.endsWith("/") ? prefix : prefix + "/";
        try {
            ObjectKey.validatePrefix(normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "prefix: " + prefix + " (expected: /-separated segments such as otelservices/blocks, none empty, "
                            + "'.' or '..', no leading /, no backslash or control character)",
                    e);
        }
        return normalized;
    }
}
