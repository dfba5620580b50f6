package org.projectbeacon.maven.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void headingsKeepTheirTitleRulesWithoutARegularExpression() {
        Runbook runbook = RunbookParser.parse(Path.of("r.md"),
                "## Runner Down ##  \n#\tTabbed\n####### seven\n#NoSpace\n# C#\n#   \n# a\u2028b\n# cr\r\n");
        assertThat(runbook.headings()).extracting(Runbook.Heading::text, Runbook.Heading::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Runner Down", 2), org.assertj.core.groups.Tuple.tuple("Tabbed", 1),
                org.assertj.core.groups.Tuple.tuple("C", 1), org.assertj.core.groups.Tuple.tuple("", 1),
                org.assertj.core.groups.Tuple.tuple("cr", 1));
    }

    @Test
    void pathologicalLongLinesParseInLinearTime() {
        // Each line made a backtracking expression take minutes (quadratic in the line's length).
        int n = 200_000;
        List<String> lines = List.of(
                "# " + "#".repeat(n) + "x",
                "# a" + " ".repeat(n) + "x",
                "**Symptoms**: a" + " ".repeat(n) + "x",
                "`" + "_".repeat(n) + "A`",
                "```\n" + "curl /metrics ".repeat(n / 14) + "\n```",
                "`" + "/metrics ".repeat(n / 9) + "`");
        for (String line : lines) {
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> RunbookParser.parse(Path.of("r.md"), "# Runbook\n" + line + "\n"),
                    () -> "line starting " + line.substring(0, 20));
        }
        Runbook symptoms = RunbookParser.parse(Path.of("r.md"),
                "## A\n**Alert**: `A`\n**Symptoms**: >2s for 5m   \n## B\n**Alert**: `B`\n**Symptoms**:   \n");
        assertThat(symptoms.section("A").orElseThrow().symptoms()).isEqualTo(">2s for 5m");
        assertThat(runbookMetrics("x `jobs_total` `Jobs_total` `_x` `a_` `abc` `a:b_c`"))
                .containsExactly("jobs_total", "a_", "a:b_c");
        assertThat(runbookMetrics("`curl -s localhost:8080/metrics /metrics | grep -E 'jobs_'`")).containsExactly("jobs_");
    }

    private static List<String> runbookMetrics(String line) {
        return RunbookParser.parse(Path.of("r.md"), "# Runbook\n" + line + "\n").metrics().stream()
                .map(MetricReference::name).toList();
    }
}
