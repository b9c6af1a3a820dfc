package io.otelservices.storage.objectstore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy (org.gaul:s3proxy, its jar-with-dependencies, which Maven copies to
 * {@code target/s3proxy/s3proxy.jar}) in a child JVM, storing objects in a temporary directory through its
 * {@code filesystem} backend and checking AWS v2/v4 signatures against {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 *
 * <p>A child process rather than in-process: S3Proxy 4 brings Jetty 12, Jackson 3, Google Cloud, Azure and
 * OpenStack clients and its own OpenTelemetry, none of which belong on this module's test classpath. It listens on
 * port 0; the port is read from its startup log.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "otelservices-test";
    public static final String SECRET_KEY = "otelservices-test-secret";
    public static final String REGION = "us-east-1";
    public static final String JAR_PROPERTY = "otelservices.s3proxy.jar";

    private static final Pattern LISTENING = Pattern.compile("ServerConnector@\\S*\\{[^}]*\\}\\{[^:}]*:(\\d+)\\}");
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Path dataDirectory;
    private final URI endpoint;
    private final Deque<String> recentOutput;

    private S3ProxyServer(Process process, Path dataDirectory, URI endpoint, Deque<String> recentOutput) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.endpoint = endpoint;
        this.recentOutput = recentOutput;
    }

    /**
     * Starts S3Proxy and waits until it listens.
     *
     * @throws IllegalStateException with the reason and how to fix it, if the jar is missing or the server does not
     *     come up
     */
    static S3ProxyServer start() throws IOException, InterruptedException {
        String jarProperty = System.getProperty(JAR_PROPERTY);
        Path jar = jarProperty == null ? Path.of("target", "s3proxy", "s3proxy.jar") : Path.of(jarProperty);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar.toAbsolutePath() + ". Run the tests "
                    + "with `./mvnw -pl storage/objectstore verify` (its process-test-classes phase copies "
                    + "org.gaul:s3proxy:jar-with-dependencies there from Maven Central), or pass "
                    + "-Ds3proxy.jar=/path/to/s3proxy-jar-with-dependencies.jar to Maven (the system property "
                    + JAR_PROPERTY + " elsewhere).");
        }
        Path dataDirectory = Files.createTempDirectory("s3proxy-data-");
        Path properties = Files.createTempFile("s3proxy-", ".properties");
        try (Writer writer = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            writer.write(String.join("\n", List.of(
                    "s3proxy.endpoint=http://127.0.0.1:0",
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dataDirectory.toAbsolutePath(),
                    "")));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .start();
        Deque<String> recentOutput = new ArrayDeque<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, recentOutput, port), "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int listening = port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new S3ProxyServer(process, dataDirectory, URI.create("http://127.0.0.1:" + listening),
                    recentOutput);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            deleteRecursively(dataDirectory);
            throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT_SECONDS + " s ("
                    + e + "); its last output:\n" + String.join("\n", snapshot(recentOutput)), e);
        } finally {
            Files.deleteIfExists(properties);
        }
    }

    private static void readOutput(Process process, Deque<String> recentOutput, CompletableFuture<Integer> port) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (recentOutput) {
                    recentOutput.addLast(line);
                    if (recentOutput.size() > 40) {
                        recentOutput.removeFirst();
                    }
                }
                Matcher matcher = LISTENING.matcher(line);
                if (!port.isDone() && matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        port.completeExceptionally(new IllegalStateException("S3Proxy exited with " + exitValue(process)));
    }

    private static String exitValue(Process process) {
        try {
            return String.valueOf(process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : "no exit yet");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static List<String> snapshot(Deque<String> recentOutput) {
        synchronized (recentOutput) {
            return List.copyOf(recentOutput);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** S3Proxy's last lines of output, for failure messages. */
    public String recentOutput() {
        return String.join("\n", snapshot(recentOutput));
    }

    /** A plain SDK client with the server's credentials, for setting up buckets and looking behind the store. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    public void createBucket(String bucket) {
        try (S3Client client = newClient()) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dataDirectory);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
