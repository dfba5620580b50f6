package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.resilience.metrics.CoreMetricCatalog;

/**
 * The example runner's own alert rules and runbook pass, and the drift the build must catch
 * (a runbook section removed, a threshold changed) fails them. The example's build runs the goal
 * itself; this test shows the failing side without a second Maven build.
 */
class ExampleRunnerRulesTest {

    private static final Path EXAMPLE = Path.of("../examples/beacon-runner-example");

    @TempDir
    Path dir;

    @Test
    void theExampleAsItIsPasses() throws Exception {
        AlertVerifier.Result result = verify(rules(), runbook());
        assertThat(result.findings()).isEmpty();
        assertThat(result.summary().alerts()).isEqualTo(8);
        assertThat(result.summary().runbookSections()).isEqualTo(8);
    }

    @Test
    void removingARunbookSectionFails() throws Exception {
        String runbook = runbook().replace("#### Runner Down\n**Alert**: `RunnerDown`\n", "#### Runner Down\n");
        assertThat(verify(rules(), runbook).findings()).extracting(f -> f.check().id(), Finding::alert)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alert-without-runbook", "RunnerDown"));
    }

    @Test
    void changingAThresholdFails() throws Exception {
        String rules = rules().replace("< 0.7", "< 0.5");
        assertThat(verify(rules, runbook()).findings()).extracting(f -> f.check().id(), Finding::alert)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("threshold-mismatch", "LowNegotiationSuccessRate"));
    }

    private AlertVerifier.Result verify(String rules, String runbook) throws Exception {
        Path rulesFile = Files.writeString(dir.resolve("alerts.yml"), rules);
        Path runbookFile = Files.writeString(dir.resolve("runbook.md"), runbook);
        return AlertVerifier.verify(new AlertVerifier.Input(dir, List.of(rulesFile), List.of(runbookFile), List.of(),
                List.of(), List.of(new CoreMetricCatalog(), AlertVerifierTest.OTHERS), List.of()));
    }

    private static String rules() throws IOException {
        return Files.readString(EXAMPLE.resolve("src/main/prometheus/alerts.yml"));
    }

    private static String runbook() throws IOException {
        return Files.readString(EXAMPLE.resolve("docs/runbook.md"));
    }
}
