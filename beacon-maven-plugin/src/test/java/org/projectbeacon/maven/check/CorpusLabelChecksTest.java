package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.projectbeacon.maven.SharedFiles;
import org.projectbeacon.maven.promql.PromQlParser;
import org.projectbeacon.maven.promql.PromQlSyntaxException;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.rules.RuleLoader;

/**
 * The label and template checks on every rule file of {@code ../shared/corpus} (read from there,
 * never copied; skipped with a message where it is missing), with {@code externalMetrics} taken
 * from the corpus' own metric names: what remains is listed in the plugin's README with why each
 * finding is true.
 */
class CorpusLabelChecksTest {

    private static final Set<CheckId> NEW = Set.of(CheckId.UNKNOWN_LABEL, CheckId.UNKNOWN_LABEL_VALUE,
            CheckId.TEMPLATE_SYNTAX, CheckId.TEMPLATE_LABEL_MISSING);

    /** Each finding that remains, as {@code id file:line alert}; each is explained in the README. */
    static final List<String> EXPECTED = List.of(
            "template-label-missing kube-prometheus/alertmanager-prometheusRule.yaml:61 AlertmanagerClusterFailedToSendAlerts",
            "template-label-missing kube-prometheus/alertmanager-prometheusRule.yaml:76 AlertmanagerClusterFailedToSendAlerts",
            "template-label-missing kube-prometheus/alertmanager-prometheusRule.yaml:91 AlertmanagerConfigInconsistent",
            "template-label-missing kube-prometheus/alertmanager-prometheusRule.yaml:104 AlertmanagerClusterDown",
            "template-label-missing kube-prometheus/alertmanager-prometheusRule.yaml:123 AlertmanagerClusterCrashlooping");

    @Test
    void onlyTheFindingsTheReadmeExplainsRemain() throws Exception {
        Path corpus = SharedFiles.shared("corpus");
        List<Path> files = ruleFiles(corpus);
        Set<String> names = new TreeSet<>();
        Set<String> recorded = new TreeSet<>();
        for (Path file : files) {
            for (Rule rule : RuleLoader.load(file, file.toString()).rules()) {
                if (!rule.alert()) {
                    recorded.add(rule.name());
                }
                try {
                    names.addAll(PromQlParser.parse(rule.expr()).metricNames());
                } catch (PromQlSyntaxException e) {
                    // promql-syntax's business
                }
            }
        }
        names.removeAll(recorded);
        AlertVerifier.Result result = AlertVerifier.verify(new AlertVerifier.Input(corpus, files, List.of(), List.of(),
                List.copyOf(names), List.of(), List.of()));
        List<String> remaining = new ArrayList<>();
        for (Finding f : result.findings()) {
            if (NEW.contains(f.check())) {
                remaining.add(f.check().id() + " " + f.file() + ":" + f.line() + " " + f.alert() + " | " + f.message());
            }
        }
        remaining.forEach(System.out::println);
        assertThat(remaining.stream().map(r -> r.substring(0, r.indexOf(" | "))).toList())
                .containsExactlyElementsOf(EXPECTED);
    }

    static List<Path> ruleFiles(Path corpus) throws Exception {
        try (Stream<Path> walk = Files.walk(corpus)) {
            return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.toString().contains("awesome-prometheus-alerts")).sorted().toList();
        }
    }
}
