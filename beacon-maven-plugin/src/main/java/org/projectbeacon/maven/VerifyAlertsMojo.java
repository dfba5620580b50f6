package org.projectbeacon.maven;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.projectbeacon.maven.check.AlertVerifier;
import org.projectbeacon.maven.check.Severity;
import org.projectbeacon.maven.check.Suppression;
import org.projectbeacon.maven.check.VerificationException;
import org.projectbeacon.maven.report.Reports;
import org.projectbeacon.maven.rules.RuleLoader;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Fails the build when alert rules, runbooks and exported metrics disagree.
 *
 * <p>A thin adapter: it reads its parameters and the project's runtime classpath (for the metric
 * catalogs), calls {@link AlertVerifier}, writes {@code verify-alerts.json} and
 * {@code verify-alerts.sarif}, logs each finding, and throws {@link MojoFailureException} with the
 * one-line summary when there are errors (or warnings, with {@code failOnWarning}) unless
 * {@code failOnError} is false. A module without rule files is skipped with an info line unless
 * {@code failIfNoRules} is set, so the goal can be bound in a parent POM. {@code mvn beacon:help}
 * lists the goals and parameters.
 */
@Mojo(name = "verify-alerts", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class VerifyAlertsMojo extends AbstractMojo {

    /** Prometheus rule files, or folders of them. */
    @Parameter(property = "beacon.rules", defaultValue = "${project.basedir}/src/main/prometheus")
    private List<File> rules;

    /** Markdown runbooks. */
    @Parameter(property = "beacon.runbook", defaultValue = "${project.basedir}/docs/runbook.md")
    private List<File> runbook;

    /** Prometheus text expositions, such as a saved scrape of the running service. */
    @Parameter(property = "beacon.metricsFiles")
    private List<File> metricsFiles;

    /**
     * Metric names exported by other jobs (node exporter and the like), each optionally with the
     * labels it carries: {@code node_filesystem_avail_bytes{device,mountpoint}}. Without a list any
     * label is accepted.
     */
    @Parameter(property = "beacon.externalMetrics")
    private List<String> externalMetrics;

    /** How often Prometheus scrapes the service; ranges under rate() and the like must cover two scrapes. */
    @Parameter(property = "beacon.scrapeInterval", defaultValue = "30s")
    private String scrapeInterval;

    /** Labels Prometheus attaches to every scraped series (relabelling may add more than the default). */
    @Parameter(property = "beacon.targetLabels", defaultValue = "job,instance")
    private List<String> targetLabels;

    /** Fail the build on errors; {@code false} only reports them, as {@code failOnViolation=false} in other plugins. */
    @Parameter(property = "beacon.failOnError", defaultValue = "true")
    private boolean failOnError;

    /**
     * Fail when no rule file is found; by default such a module is skipped with an info line, so the
     * goal can be declared in a parent POM.
     */
    @Parameter(property = "beacon.failIfNoRules", defaultValue = "false")
    private boolean failIfNoRules;

    /** Suppressions: {@code <suppression><id>...</id><alert>...</alert><file>...</file></suppression>}. */
    @Parameter
    private List<Suppression> suppressions;

    /** Fail on warnings too. */
    @Parameter(property = "beacon.failOnWarning", defaultValue = "false")
    private boolean failOnWarning;

    /** Skip the goal. */
    @Parameter(property = "beacon.skip", defaultValue = "false")
    private boolean skip;

    /** Where the JSON and SARIF reports go. */
    @Parameter(defaultValue = "${project.build.directory}/beacon", readonly = true)
    private File outputDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("beacon:verify-alerts skipped");
            return;
        }
        if (!failIfNoRules && noRuleFiles()) {
            getLog().info("beacon:verify-alerts skipped: no rule files (*.yml, *.yaml) in " + paths(rules)
                    + " (set beacon.failIfNoRules=true to fail instead)");
            return;
        }
        Duration interval;
        try {
            interval = RuleLoader.parseDuration(scrapeInterval);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("scrapeInterval must be a Prometheus duration such as 30s but was '"
                    + scrapeInterval + "'");
        }
        AlertVerifier.Result result;
        try (URLClassLoader classpath = projectClassLoader()) {
            List<MetricCatalog> catalogs = catalogs(classpath);
            result = AlertVerifier.verify(new AlertVerifier.Input(
                    project.getBasedir().toPath(),
                    paths(rules),
                    paths(runbook),
                    paths(metricsFiles),
                    externalMetrics == null ? List.of() : externalMetrics,
                    catalogs,
                    suppressions == null ? List.of() : suppressions,
                    interval,
                    targetLabels == null ? Set.of() : Set.copyOf(targetLabels)));
        } catch (IllegalArgumentException | VerificationException e) {
            throw new MojoExecutionException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read the project's classpath: " + e.getMessage());
        }
        try {
            Reports.write(outputDirectory.toPath().resolve("verify-alerts.json"), Reports.json(result.findings(), result.summary()));
            Reports.write(outputDirectory.toPath().resolve("verify-alerts.sarif"), Reports.sarif(result.findings(), version()));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the reports to " + outputDirectory + ": " + e.getMessage());
        }
        for (Reports.ConsoleLine line : Reports.console(result.findings())) {
            if (line.severity() == Severity.ERROR) {
                getLog().error(line.text());
            } else if (line.severity() == Severity.WARNING) {
                getLog().warn(line.text());
            } else {
                getLog().info(line.text());
            }
        }
        String summary = "beacon:verify-alerts: " + result.summary().line();
        boolean fail = result.summary().errors() > 0 || failOnWarning && result.summary().warnings() > 0;
        if (fail && failOnError) {
            throw new MojoFailureException(summary);
        }
        if (fail) {
            getLog().warn(summary + " (not failing: beacon.failOnError=false)");
        } else {
            getLog().info(summary);
        }
    }

    private URLClassLoader projectClassLoader() throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        try {
            for (String element : project.getRuntimeClasspathElements()) {
                urls.add(new File(element).toURI().toURL());
            }
        } catch (DependencyResolutionRequiredException | MalformedURLException e) {
            throw new MojoExecutionException("cannot resolve the project's runtime classpath: " + e.getMessage());
        }
        // The plugin's loader is the parent, so MetricCatalog is one type on both sides.
        return new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader());
    }

    private List<MetricCatalog> catalogs(ClassLoader loader) throws MojoExecutionException {
        Map<String, MetricCatalog> byClass = new LinkedHashMap<>();
        try {
            for (MetricCatalog catalog : ServiceLoader.load(MetricCatalog.class, loader)) {
                byClass.putIfAbsent(catalog.getClass().getName(), catalog);
            }
        } catch (ServiceConfigurationError e) {
            throw new MojoExecutionException("a metric catalog on the classpath cannot be loaded: " + e.getMessage());
        }
        byClass.values().forEach(c -> getLog().debug("metric catalog " + c.module() + ": " + c.meters().size() + " meters"));
        return new ArrayList<>(byClass.values());
    }

    private static List<Path> paths(List<File> files) {
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    /** Whether the configured rule paths hold no rule file, a missing path included. */
    private boolean noRuleFiles() {
        List<Path> existing = paths(rules).stream().filter(java.nio.file.Files::exists).toList();
        if (existing.size() < paths(rules).size() && !isDefaultRules()) {
            return false; // a configured path that does not exist is a mistake: verify() names it
        }
        try {
            return AlertVerifier.ruleFiles(existing).isEmpty();
        } catch (VerificationException e) {
            return false;
        }
    }

    private boolean isDefaultRules() {
        return rules != null && rules.size() == 1
                && rules.get(0).toPath().equals(project.getBasedir().toPath().resolve("src/main/prometheus"));
    }

    /** The plugin's own version, from its descriptor. */
    private String version() {
        return plugin.getVersion();
    }

}
