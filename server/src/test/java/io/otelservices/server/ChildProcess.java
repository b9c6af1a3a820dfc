package io.otelservices.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code otelservices} command in a separate JVM, so that tests can kill it with SIGKILL. Its ports are
 * read from its structured "otelservices started" log line.
 */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<BoundPorts> started = new CompletableFuture<>();
    private final Thread reader;

    private ChildProcess(Process process) {
        this.process = process;
        reader = new Thread(this::readOutput, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code Main} with every port 0 and the given extra arguments, and waits until it is serving. */
    static ChildProcess start(Path dataDirectory, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", // what the jar's manifest gives `java -jar`
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(),
                "--data-dir", dataDirectory.toString(),
                "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--collector-http-port", "0",
                "--query-port", "0", "--metrics-port", "0", "--query-metrics-port", "0"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> ConfigLoader.ENVIRONMENT_KEYS.containsKey(k));
        ChildProcess child = new ChildProcess(builder.start());
        try {
            child.started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.kill();
            throw new AssertionError("child did not start: " + e + "\n" + String.join("\n", child.output), e);
        }
        return child;
    }

    BoundPorts ports() {
        return started.join();
    }

    List<String> output() {
        return output;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
                if (line.contains("otelservices started")) {
                    JsonNode json = TestServers.JSON.readTree(line);
                    started.complete(new BoundPorts(json.get("otlp_grpc_port").asInt(),
                            json.get("otlp_http_port").asInt(), json.get("collector_http_port").asInt(),
                            json.get("query_port").asInt(), json.get("metrics_port").asInt(),
                            json.get("query_metrics_port").asInt()));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        started.completeExceptionally(new IllegalStateException("process exited before it started serving"));
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: the shutdown hook flushes and closes. Returns the exit code. */
    int terminate() {
        // Through the handle: Process.destroy() would also close our end of the child's stdout, losing the lines
        // its shutdown hook still writes.
        process.toHandle().destroy();
        return waitFor(Duration.ofSeconds(60));
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit within " + timeout);
            }
            reader.join(10_000); // the last lines may still be in the pipe when the process has exited
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
