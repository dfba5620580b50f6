package org.projectbeacon.maven.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.runbook.Runbook;
import org.projectbeacon.maven.runbook.RunbookSection;

/**
 * Everything the checks read, loaded once per verification. Immutable once built.
 *
 * @param baseDir the project folder; file names in findings are relative to it
 * @param loadFindings the {@code yaml-syntax} and {@code rule-schema} findings of loading
 * @param rules every rule read
 * @param runbooks the runbooks
 * @param runbookPaths the runbook paths as configured
 * @param sections the first runbook section of each alert name
 * @param metrics what the project exports, recording rules and their labels included
 * @param scrapeInterval the scrape interval ranges are compared with
 */
public record CheckContext(
        Path baseDir,
        List<Finding> loadFindings,
        List<CheckedRule> rules,
        List<Runbook> runbooks,
        List<Path> runbookPaths,
        Map<String, RunbookSection> sections,
        ExportedMetrics metrics,
        Duration scrapeInterval) {

    /** Copies the collections. */
    public CheckContext {
        loadFindings = List.copyOf(loadFindings);
        rules = List.copyOf(rules);
        runbooks = List.copyOf(runbooks);
        runbookPaths = List.copyOf(runbookPaths);
        sections = Map.copyOf(sections);
    }

    /** The alert names the rules define. */
    public Set<String> alertNames() {
        return rules.stream().filter(r -> r.rule().alert()).map(r -> r.rule().name())
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** The runbook a section belongs to. */
    public Runbook runbookOf(RunbookSection section) {
        return runbooks.stream().filter(r -> r.sections().contains(section)).findFirst().orElseThrow();
    }

    /** {@code file} relative to the project where it lies inside it. */
    public String display(Path file) {
        return AlertVerifier.display(baseDir, file);
    }
}
