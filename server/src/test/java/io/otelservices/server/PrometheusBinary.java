package io.otelservices.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds a real Prometheus server for end-to-end tests without installing anything on the system: {@code prometheus}
 * on the {@code PATH}, else Debian's {@code prometheus} package unpacked under {@code target/prometheus-deb/}
 * ({@code apt-get download}, after an {@code apt-get update} when the first try fails, then {@code dpkg -x}). The
 * unpacked binary is kept there, so later runs start at once.
 */
final class PrometheusBinary {

    /** How to get Prometheus where this finds none; the skip message of tests that need it. */
    static final String HOW_TO_INSTALL = "needs a prometheus binary: put one on the PATH, or install Debian's package "
            + "(apt-get install prometheus), or let this test unpack it with apt-get download and dpkg -x";

    private static final Path DEB_DIRECTORY = Path.of("target", "prometheus-deb");
    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    /**
     * Where Prometheus was found, or why not.
     *
     * @param binary the executable, or {@code null}
     * @param problem why none was found (for the skip message); empty when found
     */
    record Located(Path binary, String problem) {
        boolean found() {
            return binary != null;
        }
    }

    private PrometheusBinary() {}

    static synchronized Located locate() {
        Path onPath = onPath("prometheus");
        if (onPath != null) {
            return new Located(onPath, "");
        }
        Path unpacked = DEB_DIRECTORY.resolve("root/usr/bin/prometheus").toAbsolutePath();
        if (Files.isExecutable(unpacked)) {
            return new Located(unpacked, "");
        }
        List<String> log = new ArrayList<>();
        try {
            Files.createDirectories(DEB_DIRECTORY);
            Path deb = download(log);
            if (deb == null) {
                return new Located(null, HOW_TO_INSTALL + "; apt-get download failed: " + String.join(" | ", log));
            }
            if (!run(log, DEB_DIRECTORY, "dpkg", "-x", deb.getFileName().toString(), "root")
                    || !Files.isExecutable(unpacked)) {
                return new Located(null, HOW_TO_INSTALL + "; dpkg -x failed: " + String.join(" | ", log));
            }
            return new Located(unpacked, "");
        } catch (IOException e) {
            return new Located(null, HOW_TO_INSTALL + "; " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Located(null, HOW_TO_INSTALL + "; interrupted");
        }
    }

    /** The downloaded package file, or {@code null}. */
    private static Path download(List<String> log) throws IOException, InterruptedException {
        Path deb = findDeb();
        if (deb != null) {
            return deb;
        }
        if (!run(log, DEB_DIRECTORY, "apt-get", "download", "prometheus")) {
            // The package lists may be missing or stale (a fresh machine); refresh them and try once more.
            run(log, DEB_DIRECTORY, "apt-get", "update");
            run(log, DEB_DIRECTORY, "apt-get", "download", "prometheus");
        }
        return findDeb();
    }

    private static Path findDeb() throws IOException {
        try (Stream<Path> files = Files.list(DEB_DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().matches("prometheus_.*\\.deb"))
                    .findFirst().orElse(null);
        }
    }

    /** Runs a command in {@code directory}; whether it exited 0. Its output's last line goes to {@code log}. */
    private static boolean run(List<String> log, Path directory, String... command)
            throws IOException, InterruptedException {
        if (onPath(command[0]) == null) {
            log.add(command[0] + ": not on the PATH");
            return false;
        }
        Path output = Files.createTempFile("prometheus-install", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.add(String.join(" ", command) + ": timed out");
                return false;
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                log.add(String.join(" ", command) + ": exit " + process.exitValue()
                        + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1)));
                return false;
            }
            return true;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
