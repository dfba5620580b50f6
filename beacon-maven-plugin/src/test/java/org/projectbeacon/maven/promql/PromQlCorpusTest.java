package org.projectbeacon.maven.promql;

import org.projectbeacon.maven.SharedFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Parses every PromQL expression of the real-world rule corpus in {@code ../shared/corpus}, whose
 * expressions {@code promtool check rules} has been run on (see the corpus README).
 *
 * <p>Besides parsing, each expression is printed and parsed again, and must print the same: the
 * printer and parser agree on every real expression.
 */
class PromQlCorpusTest {

    private static Path corpus;

    @BeforeAll
    static void locateCorpus() {
        corpus = SharedFiles.shared("corpus").toAbsolutePath().normalize();
    }

    @Test
    void awesomePrometheusAlertsParseExceptTheOneWithAnUnknownEscape() throws IOException {
        List<Sample> samples = new ArrayList<>();
        Path file = corpus.resolve("awesome-prometheus-alerts/rules.yml");
        for (Object group : list(load(file).get(0), "groups")) {
            for (Object service : list(group, "services")) {
                for (Object exporter : list(service, "exporters")) {
                    for (Object rule : list(exporter, "rules")) {
                        Map<?, ?> r = (Map<?, ?>) rule;
                        samples.add(new Sample(file + ": " + r.get("name"), String.valueOf(r.get("query"))));
                    }
                }
            }
        }

        Result result = parseAll(samples);

        report("awesome-prometheus-alerts", samples, result);
        assertThat(samples).hasSize(1155);
        assertThat(result.failures()).hasSize(1);
        Failure failure = result.failures().get(0);
        assertThat(failure.sample().expr()).contains("label_replace(kubernetes_build_info").contains("\\.");
        assertThat(failure.error().detail()).isEqualTo("unknown escape sequence U+002E '.'");
        assertThat(result.parsed()).isEqualTo(1154);
    }

    @Test
    void kubePrometheusRulesAllParse() throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpus.resolve("kube-prometheus"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : load(file)) {
                    collectRuleGroups(file, list(((Map<?, ?>) doc).get("spec"), "groups"), samples);
                }
            }
        }

        Result result = parseAll(samples);

        report("kube-prometheus", samples, result);
        assertThat(result.failures()).isEmpty();
        assertThat(samples).hasSize(139 + 95);
    }

    @Test
    void plainRuleFilesAllParse() throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus.resolve("plain-rules"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : load(file)) {
                    collectRuleGroups(file, list(doc, "groups"), samples);
                }
            }
        }

        Result result = parseAll(samples);

        report("plain-rules", samples, result);
        assertThat(result.failures()).isEmpty();
        assertThat(samples).hasSize(63 + 16);
    }

    private static void collectRuleGroups(Path file, List<?> groups, List<Sample> out) {
        for (Object group : groups) {
            for (Object rule : list(group, "rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                Object name = r.containsKey("alert") ? r.get("alert") : r.get("record");
                out.add(new Sample(file + ": " + name, String.valueOf(r.get("expr"))));
            }
        }
    }

    private static Result parseAll(List<Sample> samples) {
        List<Failure> failures = new ArrayList<>();
        int parsed = 0;
        for (Sample sample : samples) {
            Expr expr;
            try {
                expr = PromQlParser.parse(sample.expr());
            } catch (PromQlSyntaxException e) {
                failures.add(new Failure(sample, e));
                continue;
            }
            parsed++;
            String printed = expr.toString();
            assertThat(PromQlParser.parse(printed).toString())
                    .as("printing %s round-trips: %s", sample.origin(), printed)
                    .isEqualTo(printed);
        }
        return new Result(parsed, failures);
    }

    private static void report(String folder, List<Sample> samples, Result result) {
        System.out.printf("PromQL corpus %s: parsed %d of %d expressions%n", folder, result.parsed(), samples.size());
        for (Failure f : result.failures()) {
            System.out.printf("  rejected %s: %s%n", f.sample().origin(), f.error().getMessage());
        }
    }

    private static List<Object> load(Path file) throws IOException {
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).build());
        List<Object> docs = new ArrayList<>();
        load.loadAllFromString(Files.readString(file)).forEach(docs::add);
        return docs;
    }

    private static List<?> list(Object map, String key) {
        Object value = ((Map<?, ?>) map).get(key);
        return value == null ? List.of() : (List<?>) value;
    }

    private record Sample(String origin, String expr) {
    }

    private record Failure(Sample sample, PromQlSyntaxException error) {
    }

    private record Result(int parsed, List<Failure> failures) {
    }
}
