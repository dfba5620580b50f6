package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.maven.SharedFiles;
import org.projectbeacon.resilience.metrics.CoreMetricCatalog;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;

class AlertVerifierTest {

    /** The runner's five alerts, agreeing with the seed runbook. */
    static final String RUNNER_RULES = """
            groups:
              - name: beacon-runner
                rules:
                  - alert: RunnerDown
                    expr: up{job="beacon-runner"} == 0
                    for: 1m
                    annotations:
                      runbook_url: https://example.org/docs/runbook.md#runner-down
                  - alert: HighJobFailureRate
                    expr: |
                      sum(rate(jobs_processed_total{outcome="failure"}[5m]))
                        / sum(rate(jobs_processed_total[5m])) > 0.10
                    for: 5m
                    annotations:
                      runbook_url: https://example.org/docs/runbook.md#high-job-failure-rate
                  - alert: JobsStuckInQueue
                    expr: outbox_unpublished_count > 10 and outbox_oldest_unpublished_age_seconds > 300
                    for: 5m
                    annotations:
                      runbook_url: https://example.org/docs/runbook.md#jobs-stuck-in-queue
                  - alert: HighHTTPLatency
                    expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2
                    for: 5m
                    annotations:
                      runbook_url: https://example.org/docs/runbook.md#high-http-latency
                  - alert: LowNegotiationSuccessRate
                    expr: |
                      sum(rate(negotiation_probes_total{outcome="success"}[10m]))
                        / sum(rate(negotiation_probes_total[10m])) < 0.7
                    for: 10m
                    annotations:
                      runbook_url: https://example.org/docs/runbook.md#low-negotiation-success-rate
            """;

    /** What the outbox and health modules declare, for a test that has only core on its classpath. */
    static final MetricCatalog OTHERS = new MetricCatalog() {
        @Override
        public String module() {
            return "test";
        }

        @Override
        public List<MeterDescriptor> meters() {
            return List.of(
                    MeterDescriptor.gauge("outbox.unpublished.count", ""),
                    MeterDescriptor.gaugeWithUnit("outbox.oldest.unpublished.age", "seconds", ""),
                    MeterDescriptor.timer("http.request.duration", true, "", "method", "route", "status"),
                    MeterDescriptor.timer("outbox.publish.latency", false, ""),
                    MeterDescriptor.counter("outbox.reconciled", ""),
                    MeterDescriptor.gauge("outbox.consumer.lag", "", "stream", "group"),
                    MeterDescriptor.gauge("outbox.consumer.pending", "", "stream", "group"),
                    MeterDescriptor.gaugeWithUnit("outbox.consumer.last.read.age", "seconds", "", "stream", "group"),
                    MeterDescriptor.counter("outbox.consumer.read.errors", "", "stream", "group"),
                    MeterDescriptor.counter("outbox.ledger.takeovers", ""),
                    MeterDescriptor.gauge("outbox.ledger.expired.leases", ""));
        }
    };

    @TempDir
    Path dir;

    @Test
    void theRunnerRulesAgreeWithTheSeedRunbook() throws Exception {
        AlertVerifier.Result result = verify(RUNNER_RULES, seedRunbook());
        assertThat(result.findings()).isEmpty();
        assertThat(result.summary()).isEqualTo(new Summary(5, 5, result.summary().metricsExported(), 0, 0));
        assertThat(result.summary().metricsExported()).isGreaterThan(30);
    }

    @Test
    void anAlertWithoutASectionAndASectionWithoutAnAlert() throws Exception {
        String rules = RUNNER_RULES.replace("alert: RunnerDown", "alert: RunnerGone");
        List<Finding> findings = verify(rules, seedRunbook()).findings();
        assertThat(ids(findings)).containsExactlyInAnyOrder("alert-without-runbook", "runbook-without-alert");
        Finding missing = find(findings, "alert-without-runbook");
        assertThat(missing.alert()).isEqualTo("RunnerGone");
        assertThat(missing.file()).isEqualTo("alerts.yml");
        assertThat(missing.line()).isEqualTo(4);
        Finding orphan = find(findings, "runbook-without-alert");
        assertThat(orphan.file()).isEqualTo("runbook.md");
        assertThat(orphan.line()).isEqualTo(10);
    }

    @Test
    void aThresholdOrDurationThatDisagreesWithTheRunbookFails() throws Exception {
        List<Finding> threshold = verify(RUNNER_RULES.replace("> 0.10", "> 0.20"), seedRunbook()).findings();
        assertThat(ids(threshold)).containsExactly("threshold-mismatch");
        assertThat(threshold.get(0).message()).isEqualTo(
                "runbook (runbook.md:24) says '>10%' (> 0.1) but HighJobFailureRate compares > 0.2");

        List<Finding> operator = verify(RUNNER_RULES.replace("< 0.7", "<= 0.7"), seedRunbook()).findings();
        assertThat(ids(operator)).containsExactly("threshold-mismatch");

        List<Finding> duration = verify(RUNNER_RULES.replace("outbox_oldest_unpublished_age_seconds > 300\n        for: 5m",
                "outbox_oldest_unpublished_age_seconds > 300\n        for: 15m"), seedRunbook()).findings();
        assertThat(ids(duration)).containsExactly("duration-mismatch");
        assertThat(duration.get(0).message()).isEqualTo("runbook (runbook.md:39) says 5m but JobsStuckInQueue has for: 15m");
    }

    @Test
    void unknownMetricsInRulesAndRunbookAreNamedWithASuggestion() throws Exception {
        List<Finding> findings = verify(RUNNER_RULES.replace("up{job=\"beacon-runner\"} == 0",
                "jobs_procesed_total == 0"), seedRunbook()).findings();
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(CheckId.UNKNOWN_METRIC);
            assertThat(f.metric()).isEqualTo("jobs_procesed_total");
            assertThat(f.message()).isEqualTo("metric jobs_procesed_total is not exported; did you mean jobs_processed_total?");
            assertThat(f.line()).isEqualTo(5);
            assertThat(f.column()).isEqualTo(15);
        });

        Path runbook = dir.resolve("runbook.md");
        Files.writeString(runbook, Files.readString(seedRunbook()) + "\n- `queue_depth_total`\n");
        List<Finding> fromRunbook = verify(RUNNER_RULES, runbook).findings();
        assertThat(fromRunbook).extracting(Finding::check, Finding::metric)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CheckId.UNKNOWN_METRIC, "queue_depth_total"));
    }

    @Test
    void typeMismatches() throws Exception {
        List<Finding> rateOfGauge = verify(RUNNER_RULES.replace("outbox_unpublished_count > 10",
                "rate(outbox_unpublished_count[5m]) > 10"), seedRunbook()).findings();
        assertThat(rateOfGauge).extracting(Finding::check, Finding::severity).contains(
                org.assertj.core.groups.Tuple.tuple(CheckId.METRIC_TYPE_MISMATCH, Severity.ERROR));
        List<Finding> noHistogram = verify(RUNNER_RULES.replace("http_request_duration_seconds_bucket",
                "outbox_publish_latency_seconds_bucket"), seedRunbook()).findings();
        assertThat(noHistogram).extracting(Finding::check).containsExactly(CheckId.METRIC_TYPE_MISMATCH);
        assertThat(noHistogram.get(0).message()).startsWith("outbox_publish_latency_seconds publishes no histogram");
        List<Finding> rawCounter = verify(RUNNER_RULES.replace("up{job=\"beacon-runner\"} == 0",
                "jobs_enqueued_total > 100"), seedRunbook()).findings();
        assertThat(rawCounter).extracting(Finding::check, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CheckId.METRIC_TYPE_MISMATCH, Severity.WARNING));
    }

    @Test
    void runbookUrlsMustExistAndPointAtAHeading() throws Exception {
        List<Finding> broken = verify(RUNNER_RULES.replace("#runner-down", "#runnerdown"), seedRunbook()).findings();
        assertThat(broken).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(CheckId.BROKEN_RUNBOOK_URL);
            assertThat(f.message()).isEqualTo("runbook_url of RunnerDown points to #runnerdown, which no heading of "
                    + "runbook.md has; the section of RunnerDown is #runner-down");
        });
        List<Finding> missing = verify(RUNNER_RULES.replace(
                "      runbook_url: https://example.org/docs/runbook.md#runner-down\n", "      summary: down\n"),
                seedRunbook()).findings();
        assertThat(missing).extracting(Finding::check, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CheckId.MISSING_RUNBOOK_URL, Severity.WARNING));
    }

    @Test
    void syntaxErrorsPointIntoTheFile() throws Exception {
        List<Finding> promql = verify(RUNNER_RULES.replace("/ sum(rate(jobs_processed_total[5m]))",
                "/ sum(rate(jobs_processed_total[5m])"), seedRunbook()).findings();
        assertThat(promql).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(CheckId.PROMQL_SYNTAX);
            assertThat(f.line()).as("the end of the expression").isEqualTo(13);
            assertThat(f.alert()).isEqualTo("HighJobFailureRate");
        });
        List<Finding> yaml = verify("groups:\n  - name: [\n", seedRunbook()).findings();
        assertThat(ids(yaml)).contains("yaml-syntax");
    }

    @Test
    void suppressionsByCommentAndByConfiguration() throws Exception {
        String rules = RUNNER_RULES.replace("  - alert: RunnerDown", "  # beacon:ignore missing-runbook-url\n      - alert: RunnerDown")
                .replace("      runbook_url: https://example.org/docs/runbook.md#runner-down\n", "      summary: down\n");
        assertThat(verify(rules, seedRunbook()).findings()).isEmpty();
        String gone = RUNNER_RULES.replace("alert: RunnerDown", "alert: RunnerGone");
        AlertVerifier.Result suppressed = AlertVerifier.verify(input(write(gone), seedRunbook(), List.of(
                new Suppression("alert-without-runbook", "RunnerGone", null),
                new Suppression("runbook-without-alert", null, "runbook.md"))));
        assertThat(suppressed.findings()).isEmpty();
        assertThatThrownBy(() -> AlertVerifier.verify(input(write(gone), seedRunbook(),
                List.of(new Suppression("no-such-check", "X", null)))))
                .hasMessage("suppression id must be one of the check ids but was 'no-such-check'");
    }

    @Test
    void missingInputsAreErrorsNamingThePath() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        assertThatThrownBy(() -> AlertVerifier.verify(input(nowhere, seedRunbook(), List.of())))
                .isInstanceOf(VerificationException.class).hasMessage("rules: path " + nowhere + " does not exist");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> AlertVerifier.verify(input(empty, seedRunbook(), List.of())))
                .hasMessage("rules: no rule files (*.yml, *.yaml) in [" + empty + "]");
        Path noRunbook = dir.resolve("missing.md");
        assertThatThrownBy(() -> AlertVerifier.verify(input(write(RUNNER_RULES), noRunbook, List.of())))
                .hasMessage("runbook " + noRunbook + " does not exist or is not a file");
    }

    private AlertVerifier.Result verify(String rules, Path runbook) throws Exception {
        return AlertVerifier.verify(input(write(rules), runbook, List.of()));
    }

    private AlertVerifier.Input input(Path rules, Path runbook, List<Suppression> suppressions) {
        return new AlertVerifier.Input(dir, List.of(rules), List.of(runbook), List.of(), List.of(),
                List.of(new CoreMetricCatalog(), OTHERS), suppressions);
    }

    private Path write(String rules) throws IOException {
        return Files.writeString(dir.resolve("alerts.yml"), rules);
    }

    private Path seedRunbook() throws IOException {
        Path copy = dir.resolve("runbook.md");
        if (!Files.exists(copy)) {
            Files.copy(SharedFiles.shared("reference/runbook-seed.md"), copy);
        }
        return copy;
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.check().id()).toList();
    }

    private static Finding find(List<Finding> findings, String id) {
        return findings.stream().filter(f -> f.check().id().equals(id)).findFirst().orElseThrow();
    }
}
