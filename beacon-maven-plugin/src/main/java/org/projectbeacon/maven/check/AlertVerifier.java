package org.projectbeacon.maven.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.projectbeacon.maven.labels.LabelInference;
import org.projectbeacon.maven.labels.LabelSet;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.rules.RuleFile;
import org.projectbeacon.maven.rules.RuleLoader;
import org.projectbeacon.maven.runbook.Runbook;
import org.projectbeacon.maven.runbook.RunbookParser;
import org.projectbeacon.maven.runbook.RunbookSection;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Checks that alert rules, runbooks and exported metrics agree; the whole of {@code verify-alerts}
 * without Maven. It loads the inputs once, runs every {@link Check} of {@link Checks#all()} (see
 * {@link CheckId} for what each finds), drops suppressed findings and sorts the rest by file, line
 * and column.
 *
 * <p>Stateless; each {@link #verify(Input)} reads its inputs afresh. Bad content is reported as
 * findings; only inputs that cannot be read at all raise {@link VerificationException}.
 */
public final class AlertVerifier {

    /** The scrape interval assumed unless configured, Prometheus' own default for a job is 1m but most set 30s or less. */
    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(30);

    private static final Set<String> RULE_EXTENSIONS = Set.of(".yml", ".yaml");

    private AlertVerifier() {}

    /**
     * What to verify.
     *
     * @param baseDir the project folder; file names in findings are relative to it
     * @param rules rule files or folders of them
     * @param runbooks Markdown runbooks
     * @param metricsFiles Prometheus text expositions (saved scrapes)
     * @param externalMetrics names exported by other jobs, each optionally with its labels: {@code name{a,b}}
     * @param catalogs the metric catalogs found on the project's classpath
     * @param suppressions configured suppressions
     * @param scrapeInterval the scrape interval ranges must cover twice
     * @param targetLabels the labels Prometheus adds to every scraped series
     */
    public record Input(
            Path baseDir,
            List<Path> rules,
            List<Path> runbooks,
            List<Path> metricsFiles,
            List<String> externalMetrics,
            Collection<MetricCatalog> catalogs,
            List<Suppression> suppressions,
            Duration scrapeInterval,
            Set<String> targetLabels) {

        /** Copies the lists; rejects a scrape interval that is not positive, naming it. */
        public Input {
            Objects.requireNonNull(baseDir, "baseDir");
            rules = List.copyOf(rules);
            runbooks = List.copyOf(runbooks);
            metricsFiles = List.copyOf(metricsFiles);
            externalMetrics = List.copyOf(externalMetrics);
            catalogs = List.copyOf(catalogs);
            suppressions = List.copyOf(suppressions);
            Objects.requireNonNull(scrapeInterval, "scrapeInterval");
            if (scrapeInterval.isNegative() || scrapeInterval.isZero()) {
                throw new IllegalArgumentException("scrapeInterval must be positive but was " + scrapeInterval);
            }
            targetLabels = Set.copyOf(targetLabels);
        }

        /** An input with the default scrape interval and target labels ({@code job}, {@code instance}). */
        public Input(Path baseDir, List<Path> rules, List<Path> runbooks, List<Path> metricsFiles,
                List<String> externalMetrics, Collection<MetricCatalog> catalogs, List<Suppression> suppressions) {
            this(baseDir, rules, runbooks, metricsFiles, externalMetrics, catalogs, suppressions, DEFAULT_SCRAPE_INTERVAL,
                    ExportedMetrics.TARGET_LABELS);
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
     * The rule files {@code rules} names: the files themselves and the {@code .yml}/{@code .yaml}
     * files inside folders.
     *
     * @throws VerificationException when a path does not exist; the message names it
     */
    public static List<Path> ruleFiles(List<Path> rules) throws VerificationException {
        try {
            return RuleLoader.discover(rules, RULE_EXTENSIONS);
        } catch (IOException e) {
            throw new VerificationException("rules: " + e.getMessage());
        }
    }

    /**
     * Verifies {@code input}.
     *
     * @throws VerificationException when a path does not exist, no rule file is found, a runbook
     *     or metrics file cannot be read, or a suppression or external metric is malformed; the
     *     message names the path or value
     */
    public static Result verify(Input input) throws VerificationException {
        for (Suppression suppression : input.suppressions()) {
            try {
                suppression.validate();
            } catch (IllegalArgumentException e) {
                throw new VerificationException(e.getMessage());
            }
        }
        List<Path> ruleFiles = ruleFiles(input.rules());
        if (ruleFiles.isEmpty()) {
            throw new VerificationException("rules: no rule files (*.yml, *.yaml) in " + input.rules());
        }
        List<Finding> loadFindings = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles) {
            RuleFile loaded = RuleLoader.load(file, display(input.baseDir(), file));
            loadFindings.addAll(loaded.findings());
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
        Map<Rule, Expressions.Parsed> parsed = new LinkedHashMap<>();
        for (Rule rule : rules) {
            parsed.put(rule, Expressions.parse(rule, display(input.baseDir(), rule.file())));
        }
        ExportedMetrics metrics = exported(input, recordedLabels(input, parsed));

        Map<String, RunbookSection> sections = new LinkedHashMap<>();
        for (Runbook runbook : runbooks) {
            for (RunbookSection section : runbook.sections()) {
                sections.putIfAbsent(section.alert(), section);
            }
        }
        List<CheckedRule> checked = new ArrayList<>();
        parsed.forEach((rule, p) -> checked.add(new CheckedRule(rule, display(input.baseDir(), rule.file()), p.expr(),
                p.error(), p.expr() == null ? null : new LabelInference(metrics::labels))));
        CheckContext context = new CheckContext(input.baseDir(), loadFindings, checked, runbooks, input.runbooks(),
                sections, metrics, input.scrapeInterval());

        List<Finding> findings = new ArrayList<>();
        for (CheckedRule rule : checked) {
            for (Check check : Checks.all()) {
                for (Finding finding : check.rule(rule, context)) {
                    if (!rule.rule().suppressed().contains(finding.check().id())) {
                        findings.add(finding);
                    }
                }
            }
        }
        for (Check check : Checks.all()) {
            findings.addAll(check.project(context));
        }
        List<Finding> kept = findings.stream()
                .filter(finding -> input.suppressions().stream().noneMatch(s -> s.covers(finding)))
                .sorted(Comparator.comparing(Finding::file).thenComparingInt(Finding::line)
                        .thenComparingInt(Finding::column))
                .toList();
        int errors = (int) kept.stream().filter(f -> f.severity() == Severity.ERROR).count();
        int declaredSections = (int) runbooks.stream().flatMap(r -> r.sections().stream()).filter(RunbookSection::declared).count();
        Summary summary = new Summary(context.alertNames().size(), declaredSections, metrics.size(), errors,
                kept.size() - errors);
        return new Result(kept, summary);
    }

    /**
     * The labels each recording rule's series carry: what its expression leaves plus the rule's own
     * labels. Two passes, so a recording rule may read one defined after it.
     */
    private static Map<String, LabelSet> recordedLabels(Input input, Map<Rule, Expressions.Parsed> parsed)
            throws VerificationException {
        ExportedMetrics base = exported(input, Map.of());
        Map<String, LabelSet> recorded = Map.of();
        for (int pass = 0; pass < 2; pass++) {
            Map<String, LabelSet> previous = recorded;
            Map<String, LabelSet> next = new LinkedHashMap<>();
            parsed.forEach((rule, p) -> {
                if (rule.alert()) {
                    return;
                }
                LabelSet labels = p.expr() == null ? LabelSet.ANY
                        : new LabelInference(name -> previous.getOrDefault(name, base.labels(name))).labels(p.expr())
                                .plus(rule.labels().keySet());
                next.merge(rule.name(), labels, LabelSet::union);
            });
            recorded = next;
        }
        return recorded;
    }

    private static ExportedMetrics exported(Input input, Map<String, LabelSet> recorded) throws VerificationException {
        ExportedMetrics.Builder exported = ExportedMetrics.builder().targetLabels(input.targetLabels())
                .catalogs(input.catalogs());
        try {
            exported.external(input.externalMetrics());
        } catch (IllegalArgumentException e) {
            throw new VerificationException(e.getMessage());
        }
        for (Path file : input.metricsFiles()) {
            try {
                exported.metricsFile(file);
            } catch (IOException e) {
                throw new VerificationException(e.getMessage());
            }
        }
        recorded.forEach((name, labels) -> exported.recordingRule(name, "recording rule", labels));
        return exported.build();
    }

    /** The message of an unknown metric, with the closest exported name when there is one. */
    static String unknownMessage(String name, boolean prefix, ExportedMetrics metrics) {
        return UnknownMetricCheck.message(name, prefix, metrics);
    }

    static String display(Path baseDir, Path file) {
        try {
            Path relative = baseDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
            return relative.toString().startsWith("..") ? file.toString() : relative.toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }
}
