package org.projectbeacon.maven.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.projectbeacon.maven.check.CheckId;
import org.projectbeacon.maven.check.Finding;
import org.projectbeacon.maven.check.Severity;
import org.projectbeacon.maven.check.Summary;

/**
 * Writes the results of a verification: {@code verify-alerts.json}, {@code verify-alerts.sarif}
 * (SARIF 2.1.0, for code-scanning UIs) and the console lines, grouped by file. Stateless.
 */
public final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    /** The JSON report: {@code {"findings":[...],"summary":{...}}}; absent fields are left out. */
    public static Map<String, Object> json(List<Finding> findings, Summary summary) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", f.check().id());
            entry.put("severity", f.severity().label());
            entry.put("file", f.file());
            if (f.line() > 0) {
                entry.put("line", f.line());
            }
            if (f.column() > 0) {
                entry.put("column", f.column());
            }
            if (f.alert() != null) {
                entry.put("alert", f.alert());
            }
            if (f.metric() != null) {
                entry.put("metric", f.metric());
            }
            entry.put("message", f.message());
            list.add(entry);
        }
        Map<String, Object> summaryJson = new LinkedHashMap<>();
        summaryJson.put("alerts", summary.alerts());
        summaryJson.put("runbookSections", summary.runbookSections());
        summaryJson.put("metricsExported", summary.metricsExported());
        summaryJson.put("errors", summary.errors());
        summaryJson.put("warnings", summary.warnings());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("findings", list);
        report.put("summary", summaryJson);
        return report;
    }

    /** The SARIF 2.1.0 log of the findings. */
    public static Map<String, Object> sarif(List<Finding> findings, String toolVersion) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (CheckId check : CheckId.values()) {
            rules.add(Map.of(
                    "id", check.id(),
                    "shortDescription", Map.of("text", check.id().replace('-', ' ')),
                    "defaultConfiguration", Map.of("level", check.severity().label())));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> physical = new LinkedHashMap<>();
            physical.put("artifactLocation", Map.of("uri", f.file().replace('\\', '/')));
            if (f.line() > 0) {
                Map<String, Object> region = new LinkedHashMap<>();
                region.put("startLine", f.line());
                if (f.column() > 0) {
                    region.put("startColumn", f.column());
                }
                physical.put("region", region);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.check().id());
            result.put("level", f.severity().label());
            result.put("message", Map.of("text", f.message()));
            result.put("locations", List.of(Map.of("physicalLocation", physical)));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "beacon-maven-plugin");
        driver.put("version", toolVersion);
        driver.put("informationUri", "https://github.com/projectbeacon/beacon-resilience");
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        return log;
    }

    /**
     * One console line: a file header (no severity) or a finding.
     *
     * @param severity the finding's severity, or {@code null} for a file header
     * @param text the line
     */
    public record ConsoleLine(Severity severity, String text) {}

    /** Console lines grouped by file: a header per file, then {@code   file:line:col  severity  id  message}. */
    public static List<ConsoleLine> console(List<Finding> findings) {
        Map<String, List<Finding>> byFile = new TreeMap<>();
        findings.forEach(f -> byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f));
        List<ConsoleLine> lines = new ArrayList<>();
        byFile.forEach((file, list) -> {
            lines.add(new ConsoleLine(null, file));
            list.stream()
                    .sorted(java.util.Comparator.comparingInt(Finding::line).thenComparingInt(Finding::column))
                    .forEach(f -> lines.add(new ConsoleLine(f.severity(), "  " + file + ":" + f.line()
                            + (f.column() > 0 ? ":" + f.column() : "") + "  " + f.severity().label() + "  "
                            + f.check().id() + "  " + f.message())));
        });
        return lines;
    }

    /** Writes {@code value} as JSON to {@code file}, creating its folder. */
    public static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), value);
    }
}
