package org.projectbeacon.maven.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.resilience.metrics.CoreMetricCatalog;

/** Runs the verifier on one rule file written to a folder, with core's catalog and the test's others. */
final class CheckTesting {

    private CheckTesting() {}

    /** The findings of {@code check} for {@code rules} (a rule file's text), without a runbook. */
    static List<Finding> findings(Path dir, CheckId check, String rules, String... externalMetrics) throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.yml"), rules);
        AlertVerifier.Result result = AlertVerifier.verify(new AlertVerifier.Input(dir, List.of(file), List.of(), List.of(),
                List.of(externalMetrics), List.of(new CoreMetricCatalog(), AlertVerifierTest.OTHERS), List.of(),
                Duration.ofSeconds(30), ExportedMetrics.TARGET_LABELS));
        return result.findings().stream().filter(f -> f.check() == check).toList();
    }

    /** A rule file with one alert of {@code expr} and {@code summary}. */
    static String alert(String expr, String summary) {
        return """
                groups:
                  - name: g
                    rules:
                      - alert: A
                        expr: %s
                        annotations:
                          summary: %s
                """.formatted(expr, summary);
    }
}
