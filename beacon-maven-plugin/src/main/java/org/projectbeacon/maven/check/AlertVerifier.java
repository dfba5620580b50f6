package org.projectbeacon.maven.check;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.rules.RuleFile;
import org.projectbeacon.maven.rules.RuleLoader;
import org.projectbeacon.maven.runbook.MetricReference;
import org.projectbeacon.maven.runbook.Runbook;
import org.projectbeacon.maven.runbook.RunbookParser;
import org.projectbeacon.maven.runbook.RunbookSection;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Checks that alert rules, runbooks and exported metrics agree; the whole of {@code verify-alerts}
 * without Maven. See {@link CheckId} for what is checked.
 *
 * <p>Stateless; each {@link #verify(Input)} reads its inputs afresh. Bad content is reported as
 * findings; only inputs that cannot be read at all raise {@link VerificationException}.
 */
public final class AlertVerifier {

    private static final Set<String> RULE_EXTENSIONS = Set.of(".yml", ".yaml");

    private AlertVerifier() {}

    /**
     * What to verify.
     *
     * @param baseDir the project folder; file names in findings are relative to it
     * @param rules rule files or folders of them
     * @param runbooks Markdown runbooks
     * @param metricsFiles Prometheus text expositions (saved scrapes)
     * @param externalMetrics names exported by other jobs
     * @param catalogs the metric catalogs found on the project's classpath
     * @param suppressions configured suppressions
     */
    public record Input(
            Path baseDir,
            List<Path> rules,
            List<Path> runbooks,
            List<Path> metricsFiles,
            List<String> externalMetrics,
            Collection<MetricCatalog> catalogs,
            List<Suppression> suppressions) {

        /** Copies the lists. */
        public Input {
            Objects.requireNonNull(baseDir, "baseDir");
            rules = List.copyOf(rules);
            runbooks = List.copyOf(runbooks);
            metricsFiles = List.copyOf(metricsFiles);
            externalMetrics = List.copyOf(externalMetrics);
            catalogs = List.copyOf(catalogs);
            suppressions = List.copyOf(suppressions);
        }
    }

    /**
     * What verification found.
     *
     * @param findings every finding left after suppressions, in file then line order
     * @param summary the counts
     */
    public record Result(List<Finding> findings, Summary summary) {

        /** Copies the list. */
        public Result {
            findings = List.copyOf(findings);
        }
    }

    /**
     * Verifies {@code input}.
     *
     * @throws VerificationException when a path does not exist, no rule file is found, or a runbook
     *     or metrics file cannot be read; the message names the path
     */
    public static Result verify(Input input) throws VerificationException {
        for (Suppression suppression : input.suppressions()) {
            try {
                suppression.validate();
            } catch (IllegalArgumentException e) {
                throw new VerificationException(e.getMessage());
            }
        }
        List<Path> ruleFiles;
        try {
            ruleFiles = RuleLoader.discover(input.rules(), RULE_EXTENSIONS);
        } catch (IOException e) {
            throw new VerificationException("rules: " + e.getMessage());
        }
        if (ruleFiles.isEmpty()) {
            throw new VerificationException("rules: no rule files (*.yml, *.yaml) in " + input.rules());
        }
        List<Finding> findings = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles) {
            RuleFile loaded = RuleLoader.load(file, display(input.baseDir(), file));
            findings.addAll(loaded.findings());
            rules.addAll(loaded.rules());
        }

        List<Runbook> runbooks = new ArrayList<>();
        for (Path file : input.runbooks()) {
            try {
                runbooks.add(RunbookParser.parse(file));
            } catch (IOException e) {
                throw new VerificationException(e.getMessage());
            }
        }

        ExportedMetrics.Builder exported = ExportedMetrics.builder()
                .catalogs(input.catalogs())
                .external(input.externalMetrics());
        for (Path file : input.metricsFiles()) {
            try {
                exported.metricsFile(file);
            } catch (IOException e) {
                throw new VerificationException(e.getMessage());
            }
        }
        rules.stream().filter(rule -> !rule.alert()).forEach(rule -> exported.recordingRule(rule.name(), rule.file().toString()));
        ExportedMetrics metrics = exported.build();

        Map<String, RunbookSection> sections = new LinkedHashMap<>();
        Map<RunbookSection, Runbook> sectionRunbook = new LinkedHashMap<>();
        for (Runbook runbook : runbooks) {
            for (RunbookSection section : runbook.sections()) {
                sections.putIfAbsent(section.alert(), section);
                sectionRunbook.put(section, runbook);
            }
        }

        Set<String> alertNames = new LinkedHashSet<>();
        for (Rule rule : rules) {
            String file = display(input.baseDir(), rule.file());
            List<Finding> ruleFindings = new ArrayList<>();
            ExpressionChecks.Parsed parsed = ExpressionChecks.parse(rule, file);
            if (parsed.error() != null) {
                ruleFindings.add(parsed.error());
            } else {
                ruleFindings.addAll(ExpressionChecks.metrics(rule, file, parsed.expr(), metrics));
            }
            if (rule.alert()) {
                alertNames.add(rule.name());
                RunbookSection section = sections.get(rule.name());
                if (section == null) {
                    ruleFindings.add(Finding.of(CheckId.ALERT_WITHOUT_RUNBOOK, file, rule.line(), 0, rule.name(), null,
                            "alert " + rule.name() + " has no runbook section; add a heading with **Alert**: `"
                                    + rule.name() + "` to " + runbookNames(input)));
                } else if (parsed.expr() != null && section.symptoms() != null) {
                    ruleFindings.addAll(ExpressionChecks.symptoms(rule, file, parsed.expr(), section,
                            display(input.baseDir(), sectionRunbook.get(section).file())));
                }
                ruleFindings.addAll(runbookUrl(rule, file, runbooks));
            }
            for (Finding finding : ruleFindings) {
                if (!rule.suppressed().contains(finding.check().id())) {
                    findings.add(finding);
                }
            }
        }

        int declaredSections = 0;
        for (Runbook runbook : runbooks) {
            String file = display(input.baseDir(), runbook.file());
            for (RunbookSection section : runbook.sections()) {
                if (!section.declared()) {
                    continue;
                }
                declaredSections++;
                if (!alertNames.contains(section.alert())) {
                    findings.add(Finding.of(CheckId.RUNBOOK_WITHOUT_ALERT, file, section.line(), 0, section.alert(), null,
                            "runbook section '" + section.heading() + "' is for alert " + section.alert()
                                    + ", which no rule defines"));
                }
            }
            for (MetricReference reference : runbook.metrics()) {
                boolean known = reference.prefix() ? metrics.exportsPrefix(reference.name()) : metrics.exports(reference.name());
                if (!known) {
                    findings.add(Finding.of(CheckId.UNKNOWN_METRIC, file, reference.line(), reference.column(), null,
                            reference.name(), unknownMessage(reference.name(), reference.prefix(), metrics)));
                }
            }
        }

        List<Finding> kept = findings.stream()
                .filter(finding -> input.suppressions().stream().noneMatch(s -> s.covers(finding)))
                .sorted(java.util.Comparator.comparing(Finding::file).thenComparingInt(Finding::line)
                        .thenComparingInt(Finding::column))
                .toList();
        int errors = (int) kept.stream().filter(f -> f.severity() == Severity.ERROR).count();
        Summary summary = new Summary(alertNames.size(), declaredSections, metrics.size(), errors, kept.size() - errors);
        return new Result(kept, summary);
    }

    /** The message of an unknown metric, with the closest exported name when there is one. */
    static String unknownMessage(String name, boolean prefix, ExportedMetrics metrics) {
        String what = prefix ? "no exported metric starts with " + name : "metric " + name + " is not exported";
        return what + metrics.closest(name).map(c -> "; did you mean " + c + "?").orElse(
                "; export it, add it to metricsFiles or externalMetrics, or fix the name");
    }

    private static List<Finding> runbookUrl(Rule rule, String file, List<Runbook> runbooks) {
        String url = rule.annotations().get("runbook_url");
        if (url == null || url.isBlank()) {
            return List.of(Finding.of(CheckId.MISSING_RUNBOOK_URL, file, rule.line(), 0, rule.name(), null,
                    "alert " + rule.name() + " has no runbook_url annotation"));
        }
        int hash = url.indexOf('#');
        String path = hash < 0 ? url : url.substring(0, hash);
        String anchor = hash < 0 ? null : url.substring(hash + 1);
        for (Runbook runbook : runbooks) {
            Path name = runbook.file().getFileName();
            if (name == null || !pathOf(path).endsWith("/" + name) && !pathOf(path).equals(name.toString())) {
                continue;
            }
            if (anchor != null && !anchor.isEmpty() && !runbook.hasAnchor(anchor)) {
                return List.of(Finding.of(CheckId.BROKEN_RUNBOOK_URL, file, rule.line(), 0, rule.name(), null,
                        "runbook_url of " + rule.name() + " points to #" + anchor + ", which no heading of "
                                + name + " has" + suggestAnchor(rule.name(), runbook)));
            }
            return List.of();
        }
        return List.of();
    }

    private static String suggestAnchor(String alert, Runbook runbook) {
        return runbook.section(alert).map(section -> "; the section of " + alert + " is #" + section.anchor()).orElse("");
    }

    private static String pathOf(String url) {
        try {
            URI uri = URI.create(url.replace(" ", "%20"));
            return uri.getPath() == null ? url : uri.getPath();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String runbookNames(Input input) {
        return input.runbooks().stream().map(p -> String.valueOf(p.getFileName())).toList().toString();
    }

    private static String display(Path baseDir, Path file) {
        try {
            Path relative = baseDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
            return relative.toString().startsWith("..") ? file.toString() : relative.toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }
}
