package org.projectbeacon.maven.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.maven.check.CheckId;
import org.projectbeacon.maven.check.Finding;
import org.projectbeacon.maven.SharedFiles;

class RuleLoaderTest {

    @TempDir
    Path dir;

    @Test
    void readsAPlainRuleFileWithPositionsDurationsAndSuppressions() throws IOException {
        Path file = write("alerts.yml", """
                groups:
                  - name: runner
                    rules:
                      # beacon:ignore missing-runbook-url
                      - alert: HighJobFailureRate
                        expr: |
                          sum(rate(jobs_processed_total{outcome="failure"}[5m]))
                            / sum(rate(jobs_processed_total[5m])) > 0.10
                        for: 5m
                        labels:
                          severity: critical
                        annotations:
                          summary: "Job failures above 10 %"
                      - record: job:failures:rate5m
                        expr: "sum(rate(jobs_processed_total[5m]))"
                """);
        RuleFile loaded = RuleLoader.load(file, "alerts.yml");
        assertThat(loaded.findings()).isEmpty();
        Rule alert = loaded.rules().get(0);
        assertThat(alert.alert()).isTrue();
        assertThat(alert.name()).isEqualTo("HighJobFailureRate");
        assertThat(alert.group()).isEqualTo("runner");
        assertThat(alert.line()).isEqualTo(5);
        assertThat(alert.forDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(alert.labels()).containsEntry("severity", "critical");
        assertThat(alert.suppressed()).containsExactly("missing-runbook-url");
        assertThat(alert.exprPosition()).isEqualTo(new Rule.ExprPosition(7, 11, true));
        assertThat(alert.exprPosition().locate(2, 5)).containsExactly(8, 15);
        Rule record = loaded.rules().get(1);
        assertThat(record.alert()).isFalse();
        assertThat(record.exprPosition()).isEqualTo(new Rule.ExprPosition(15, 16, false));
        assertThat(record.exprPosition().locate(1, 3)).containsExactly(15, 18);
    }

    @Test
    void readsKubernetesPrometheusRuleObjectsAndSkipsOtherKinds() throws IOException {
        Path file = write("rules.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: other}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                spec:
                  groups:
                    - name: g
                      rules:
                        - alert: Up
                          expr: up == 0
                """);
        RuleFile loaded = RuleLoader.load(file, "rules.yaml");
        assertThat(loaded.findings()).isEmpty();
        assertThat(loaded.rules()).extracting(Rule::name).containsExactly("Up");
    }

    @Test
    void schemaProblemsAreFindingsWithTheirLines() throws IOException {
        Path file = write("bad.yml", """
                groups:
                  - name: g
                    rules:
                      - alert: NoExpr
                        for: 5m
                      - expr: up
                      - alert: BadFor
                        expr: up == 0
                        for: five minutes
                      - alert: Extra
                        expr: up == 0
                        severity: page
                      - alert: [1, 2]
                        expr: up
                """);
        List<Finding> findings = RuleLoader.load(file, "bad.yml").findings();
        assertThat(findings).allMatch(f -> f.check() == CheckId.RULE_SCHEMA);
        assertThat(findings).extracting(Finding::line, Finding::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4, "rule NoExpr has no 'expr'"),
                org.assertj.core.groups.Tuple.tuple(6, "rule has neither 'alert' nor 'record'"),
                org.assertj.core.groups.Tuple.tuple(9, "rule BadFor has an invalid duration 'five minutes': expected such as 30s, 5m or 1h30m"),
                org.assertj.core.groups.Tuple.tuple(12, "unknown rule field 'severity'; expected one of [alert, annotations, expr, for, keep_firing_for, labels, record]"),
                org.assertj.core.groups.Tuple.tuple(13, "rule has neither 'alert' nor 'record'"));
    }

    @Test
    void hostileAndBrokenFilesAreFindingsNamingTheProblem() throws IOException {
        assertThat(only(RuleLoader.load(write("empty.yml", ""), "empty.yml")))
                .isEqualTo("rule-schema 1:1 file is empty: no rule groups");
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, "groups: [{name: caf\u00e9}]".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(only(RuleLoader.load(latin1, "latin1.yml"))).isEqualTo("yaml-syntax 0:0 file is not valid UTF-8");
        assertThat(only(RuleLoader.load(write("syntax.yml", "groups:\n  - name: g\n    rules: [\n"), "syntax.yml")))
                .startsWith("yaml-syntax 4:1 ");
        assertThat(only(RuleLoader.load(write("recursive.yml", "groups: &a\n  - name: g\n    rules: *a\n"), "recursive.yml")))
                .contains("recursive");
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            laughs.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                laughs.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
            }
            laughs.append("]\n");
        }
        assertThat(only(RuleLoader.load(write("laughs.yml", laughs.toString()), "laughs.yml")))
                .startsWith("yaml-syntax").contains("aliases");
        Path huge = dir.resolve("huge.yml");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(50L * 1024 * 1024);
        }
        assertThat(only(RuleLoader.load(huge, "huge.yml")))
                .isEqualTo("yaml-syntax 0:0 file is 52428800 bytes, larger than the 10485760-byte limit; not read");
    }

    @Test
    void durationsTooLargeForJavaAreFindingsNotCrashes() throws IOException {
        for (String duration : new String[] {"9999999999999999w", "106751991167301d", "99999999999999999999s",
                "9223372036854775807h1h"}) {
            Path file = write("for.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"
                    + "        for: " + duration + "\n");
            assertThat(only(RuleLoader.load(file, "for.yml")))
                    .isEqualTo("rule-schema 6:14 rule A has an invalid duration '" + duration + "': too large");
        }
        assertThatThrownBy(() -> RuleLoader.parseDuration("9999999999999999y")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RuleLoader.parseDuration("1w1y")).isEqualTo(Duration.ofDays(372));
    }

    @Test
    void anEmojiAcrossTheYamlReadersBufferBoundaryLoads() throws IOException {
        // snakeyaml-engine reads 1,025 chars at a time: a surrogate pair starting at the last one used
        // to throw IndexOutOfBoundsException out of the loader.
        for (int pad = 0; pad < 4; pad++) {
            String head = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n"
                    + "          summary: \"";
            String text = head + "x".repeat(1024 - head.length() + pad) + "\uD83D\uDE00".repeat(40) + "\"\n";
            RuleFile loaded = RuleLoader.load(write("emoji.yml", text), "emoji.yml");
            assertThat(loaded.findings()).isEmpty();
            assertThat(loaded.rules()).singleElement()
                    .satisfies(rule -> assertThat(rule.annotations().get("summary")).endsWith("\uD83D\uDE00"));
        }
    }

    @Test
    void discoveryNamesAMissingPath() throws IOException {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> RuleLoader.discover(List.of(missing), Set.of(".yml")))
                .hasMessage("path " + missing + " does not exist");
        assertThat(RuleLoader.discover(List.of(dir), Set.of(".yml", ".yaml"))).isEmpty();
    }

    @Test
    void everyCorpusRuleFileLoadsWithoutFindings() throws IOException {
        Path corpus = SharedFiles.shared("corpus");
        List<Path> files = RuleLoader.discover(List.of(corpus.resolve("kube-prometheus"), corpus.resolve("plain-rules")),
                Set.of(".yml", ".yaml"));
        int rules = 0;
        for (Path file : files) {
            RuleFile loaded = RuleLoader.load(file, file.toString());
            assertThat(loaded.findings()).as(file.toString()).isEmpty();
            rules += loaded.rules().size();
        }
        assertThat(files).hasSize(11);
        assertThat(rules).isEqualTo(139 + 95 + 63 + 16);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String only(RuleFile file) {
        assertThat(file.findings()).hasSize(1);
        Finding f = file.findings().get(0);
        return f.check().id() + " " + f.line() + ":" + f.column() + " " + f.message();
    }
}
