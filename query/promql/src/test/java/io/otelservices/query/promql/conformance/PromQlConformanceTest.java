package io.otelservices.query.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otelservices.query.promql.conformance.ConformanceRunner.CaseResult;
import io.otelservices.query.promql.conformance.ConformanceRunner.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' conformance scripts against our engine. Prints {@code N passed, N failed, N skipped} per file, writes
 * every failure with its reason to {@code target/promql-conformance.txt}, and fails when a case listed in the
 * baseline ({@code src/test/resources/promql-conformance-baseline.txt}) no longer passes. After making more cases
 * pass, rewrite the baseline with {@code -Dpromql.baseline.update=true} and review its diff.
 */
class PromQlConformanceTest {

    private static final Path BASELINE = Path.of("src", "test", "resources", "promql-conformance-baseline.txt");
    private static final Path REPORT = Path.of("target", "promql-conformance.txt");

    @Test
    void conformanceScripts_noPreviouslyPassingCaseFails() throws IOException {
        assumeTrue(Files.isDirectory(ConformanceScriptTest.SCRIPTS), "the conformance scripts are in "
                + "../shared/testdata/promql (expected next to the project checkout; see ../shared/testdata/SOURCES.md)");
        List<Path> files;
        try (Stream<Path> listing = Files.list(ConformanceScriptTest.SCRIPTS)) {
            files = listing.filter(path -> path.toString().endsWith(".test")).sorted().toList();
        }
        ConformanceRunner runner = new ConformanceRunner();
        List<CaseResult> all = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Path file : files) {
            List<CaseResult> results = runner.run(ConformanceScript.read(file));
            all.addAll(results);
            long filePassed = results.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
            long fileFailed = results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
            long fileSkipped = results.stream().filter(r -> r.outcome() == Outcome.SKIPPED).count();
            passed += filePassed;
            failed += fileFailed;
            skipped += fileSkipped;
            summary.append(String.format("%-20s %4d passed, %4d failed, %4d skipped%n", file.getFileName(),
                    filePassed, fileFailed, fileSkipped));
        }
        summary.append(String.format("%-20s %4d passed, %4d failed, %4d skipped%n", "total", passed, failed,
                skipped));
        System.out.print(summary);

        StringBuilder report = new StringBuilder(summary).append('\n');
        for (CaseResult result : all) {
            if (result.outcome() != Outcome.PASSED) {
                report.append(result.outcome()).append(' ').append(result.id()).append(' ').append(result.query())
                        .append("\n    ").append(result.reason()).append('\n');
            }
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);

        Set<String> passing = new TreeSet<>();
        for (CaseResult result : all) {
            if (result.outcome() == Outcome.PASSED) {
                passing.add(result.id());
            }
        }
        if (Boolean.getBoolean("promql.baseline.update")) {
            Files.write(BASELINE, passing);
            return;
        }
        Set<String> baseline = Files.exists(BASELINE) ? new TreeSet<>(Files.readAllLines(BASELINE)) : Set.of();
        List<String> regressions = new ArrayList<>();
        for (CaseResult result : all) {
            if (baseline.contains(result.id()) && result.outcome() != Outcome.PASSED) {
                regressions.add(result.id() + " " + result.query() + ": " + result.reason());
            }
        }
        assertThat(regressions).as("cases of the baseline that no longer pass (details in %s)", REPORT).isEmpty();
    }
}
