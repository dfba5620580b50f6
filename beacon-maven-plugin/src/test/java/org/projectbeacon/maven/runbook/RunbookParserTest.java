package org.projectbeacon.maven.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.projectbeacon.maven.SharedFiles.shared;

class RunbookParserTest {

    @Test
    void theSeedRunbookParsesAsItIs() throws Exception {
        Runbook runbook = RunbookParser.parse(shared("reference/runbook-seed.md"));
        assertThat(runbook.sections()).filteredOn(RunbookSection::declared).extracting(RunbookSection::alert)
                .containsExactly("RunnerDown", "HighJobFailureRate", "JobsStuckInQueue", "HighHTTPLatency",
                        "LowNegotiationSuccessRate");
        assertThat(runbook.section("HighJobFailureRate").orElseThrow().symptoms())
                .isEqualTo(">10% job failure rate over 5 minutes");
        assertThat(runbook.section("JobsStuckInQueue").orElseThrow().symptoms())
                .isEqualTo(">10 jobs unpublished for >5 minutes");
        assertThat(runbook.section("HighHTTPLatency").orElseThrow().symptoms()).isEqualTo("95th percentile >2s");
        assertThat(runbook.section("LowNegotiationSuccessRate").orElseThrow().symptoms())
                .isEqualTo("<70% probe success rate");
        assertThat(runbook.section("RunnerDown").orElseThrow().symptoms())
                .isEqualTo("Service unavailable, health checks failing");
        assertThat(runbook.section("RunnerDown").orElseThrow().anchor()).isEqualTo("runner-down");
        assertThat(runbook.section("RunnerDown").orElseThrow().line()).isEqualTo(10);

        assertThat(runbook.metrics()).extracting(MetricReference::name).containsExactly(
                "jobs_", "outbox_oldest_unpublished_age_seconds", "jobs_enqueued_total", "jobs_processed_total",
                "outbox_unpublished_count", "http_request_duration_seconds", "negotiation_offers_seen_total");
        assertThat(runbook.metrics().get(0)).isEqualTo(new MetricReference("jobs_", true, 27, 96));
        assertThat(runbook.metrics().get(2).prefix()).isFalse();
    }

    @Test
    void logGrepsAndJsonFieldsAreNotMetrics() {
        Runbook runbook = RunbookParser.parse(Path.of("r.md"), """
                ## Logs
                `flyctl logs | grep circuit_breaker`
                ```bash
                curl -s host/health/ready | jq '.services[].circuit_breaker_stats'
                curl -s host/metrics | grep -i "outbox_"
                ```
                """);
        assertThat(runbook.metrics()).containsExactly(new MetricReference("outbox_", true, 5, 33));
    }

    @Test
    void aHeadingThatIsAnAlertNameIsASectionAndDeclaresItInItsOwnFile() {
        Runbook single = RunbookParser.parse(Path.of("runbooks/KubeAPIDown.md"), """
                ---
                title: Kube API Down
                ---
                # KubeAPIDown

                ## Meaning
                """);
        assertThat(single.sections()).singleElement().satisfies(section -> {
            assertThat(section.alert()).isEqualTo("KubeAPIDown");
            assertThat(section.declared()).isTrue();
            assertThat(section.anchor()).isEqualTo("kubeapidown");
        });
        Runbook many = RunbookParser.parse(Path.of("runbook.md"), "# Runbook\n## TargetDown\ntext\n");
        assertThat(many.section("TargetDown")).hasValueSatisfying(s -> assertThat(s.declared()).isFalse());
    }

    @Test
    void anchorsFollowGithubRulesIncludingDuplicates() {
        assertThat(RunbookParser.anchor("High HTTP Latency")).isEqualTo("high-http-latency");
        assertThat(RunbookParser.anchor("Level 1: Automated Recovery")).isEqualTo("level-1-automated-recovery");
        Runbook runbook = RunbookParser.parse(Path.of("r.md"), "# Steps\n# Steps\n");
        assertThat(runbook.headings()).extracting(Runbook.Heading::anchor).containsExactly("steps", "steps-1");
    }

    @Test
    void unreadableInputIsAClearErrorNamingThePath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.md");
        assertThatThrownBy(() -> RunbookParser.parse(missing)).hasMessageContaining(missing.toString());
        Path latin1 = dir.resolve("latin1.md");
        Files.write(latin1, "# Caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> RunbookParser.parse(latin1)).hasMessage("runbook " + latin1 + " is not valid UTF-8");
        Path empty = dir.resolve("empty.md");
        Files.writeString(empty, "");
        assertThat(RunbookParser.parse(empty).sections()).isEmpty();
    }
}
