package org.projectbeacon.maven.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.maven.SharedFiles;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.rules.RuleLoader;

/**
 * {@code promtool check rules} and {@link AlertTemplate} agree on every label and annotation
 * template of the alerts in {@code ../shared/corpus} (read from there, never copied), and on a
 * broken variant of each (its last closing delimiter cut to one brace). Runs when promtool is on
 * the PATH; outside CI it says so and skips when promtool or the corpus is missing.
 */
class PromtoolAgreementTest {

    private static final Pattern PROMTOOL_RULE = Pattern.compile("\"T(\\d+)\"");

    @TempDir
    Path dir;

    @Test
    void promtoolAndTheParserAcceptAndRejectTheSameTemplates() throws Exception {
        Path corpus = SharedFiles.shared("corpus");
        String promtool = promtool();
        Set<String> templates = new LinkedHashSet<>();
        try (Stream<Path> walk = Files.walk(corpus)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Rule rule : RuleLoader.load(file, file.toString()).rules()) {
                    if (rule.alert()) {
                        templates.addAll(rule.annotations().values());
                        templates.addAll(rule.labels().values());
                    }
                }
            }
        }
        List<String> all = new ArrayList<>(templates);
        for (String template : templates) {
            int close = template.lastIndexOf("}}");
            if (close >= 0) {
                all.add(template.substring(0, close) + template.substring(close + 1));
            }
        }
        all.addAll(List.of("{{ $value | humanizePercentage }", "{{ humanise $value }}", "{{ $valeu }}", "{{ if $value }}x",
                "{{ end }}", "{{ \"a\\q\" }}", "{{ 1x }}", "{{ $value | 3 }}", "{{/* c */ }}", "{{ index $labels \"x\" }}"));
        assertThat(templates).hasSizeGreaterThan(100);

        Set<Integer> ours = new TreeSet<>();
        StringBuilder yaml = new StringBuilder("groups:\n  - name: t\n    rules:\n");
        for (int i = 0; i < all.size(); i++) {
            try {
                AlertTemplate.parse(all.get(i));
            } catch (TemplateSyntaxException e) {
                ours.add(i);
            }
            yaml.append("      - alert: T").append(i).append("\n        expr: vector(1)\n        annotations:\n          x: ")
                    .append(quote(all.get(i))).append('\n');
        }
        Path file = Files.writeString(dir.resolve("templates.yml"), yaml);
        Process process = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Set<Integer> theirs = new TreeSet<>();
        for (String line : output.lines().toList()) {
            Matcher matcher = PROMTOOL_RULE.matcher(line);
            if (line.contains("template") && matcher.find()) {
                theirs.add(Integer.parseInt(matcher.group(1)));
            }
        }
        assertThat(theirs).as("promtool said:%n%s", output).isNotEmpty();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (ours.contains(i) != theirs.contains(i)) {
                disagreements.add((theirs.contains(i) ? "promtool rejects, we accept: " : "we reject, promtool accepts: ")
                        + all.get(i));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static String promtool() {
        for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(path, "promtool"))) {
                return Path.of(path, "promtool").toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("promtool is missing; CI always has it");
        }
        Assumptions.abort("promtool is not on the PATH; skipping");
        return null;
    }
}
