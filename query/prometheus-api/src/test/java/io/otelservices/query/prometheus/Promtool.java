package io.otelservices.query.prometheus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prometheus' {@code promtool}, a real client of the HTTP API: the one on the {@code PATH}, or the one in Debian's
 * {@code prometheus} package, fetched with {@code apt-get download} into {@code target/promtool} and unpacked with
 * {@code dpkg -x} (nothing is installed on the system). {@link #find()} returns {@code null} with the reason in
 * {@link #unavailableReason} when neither works.
 */
final class Promtool {

    private static final Path DIRECTORY = Path.of("target", "promtool");
    private static final long COMMAND_TIMEOUT_SECONDS = 300;

    static String unavailableReason = "";

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The output and exit status of one command. */
    record Result(int exitCode, String output) {}

    static synchronized Promtool find() {
        Path onPath = onPath();
        if (onPath != null) {
            return new Promtool(onPath);
        }
        Path unpacked = DIRECTORY.resolve("x/usr/bin/promtool");
        if (Files.isExecutable(unpacked)) {
            return new Promtool(unpacked);
        }
        try {
            Files.createDirectories(DIRECTORY);
            Result download = run(DIRECTORY, "apt-get", "download", "prometheus");
            if (download.exitCode() != 0) {
                // The package lists may be missing; fetching them needs no installation either.
                run(DIRECTORY, "apt-get", "update");
                download = run(DIRECTORY, "apt-get", "download", "prometheus");
            }
            Path deb = debFile();
            if (download.exitCode() != 0 || deb == null) {
                unavailableReason = "apt-get download prometheus failed: " + download.output();
                return null;
            }
            Result unpack = run(DIRECTORY, "dpkg", "-x", deb.getFileName().toString(), "x");
            if (unpack.exitCode() != 0 || !Files.isExecutable(unpacked)) {
                unavailableReason = "dpkg -x " + deb + " failed: " + unpack.output();
                return null;
            }
            return new Promtool(unpacked);
        } catch (IOException e) {
            unavailableReason = "cannot fetch Debian's prometheus package: " + e;
            return null;
        }
    }

    /** Runs {@code promtool args...}. */
    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return run(Path.of("."), command.toArray(String[]::new));
    }

    private static Result run(Path directory, String... command) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
        // Read while the process runs, so that a full pipe cannot stall it.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Result(process.exitValue(), e.toString());
        }
    }

    private static Path onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path debFile() throws IOException {
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(DIRECTORY, "prometheus_*.deb")) {
            for (Path deb : debs) {
                return deb;
            }
        }
        return null;
    }
}
