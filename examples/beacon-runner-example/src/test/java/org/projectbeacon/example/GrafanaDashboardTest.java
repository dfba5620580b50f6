package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectbeacon.maven.check.Check;
import org.projectbeacon.maven.check.CheckContext;
import org.projectbeacon.maven.check.CheckId;
import org.projectbeacon.maven.check.CheckedRule;
import org.projectbeacon.maven.check.Checks;
import org.projectbeacon.maven.labels.LabelInference;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.PromQlParser;
import org.projectbeacon.maven.promql.PromQlSyntaxException;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * The Grafana dashboard ({@code src/main/grafana/beacon-runner.json}) imports anywhere and asks
 * Prometheus only for what this runner exports: it is a current Grafana model with a
 * {@code DS_PROMETHEUS} input every panel uses, and every panel target's {@code expr} and every
 * {@code label_values} variable query goes through {@code verify-alerts}' own PromQL parser and
 * expression checks (unknown metric, unknown label, label value outside a closed set, wrong metric
 * type, range too short) against the metric catalogs on this module's classpath, which are the
 * catalogs the runner exports.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("src", "main", "grafana", "beacon-runner.json");
    /** Grafana's last classic-model schema version (the v1 dashboard API stops at 42). */
    static final int SCHEMA_VERSION = 42;
    static final String DATASOURCE = "${DS_PROMETHEUS}";
    /** The checks of verify-alerts that judge one expression; the others judge alert rules and runbooks. */
    static final Set<CheckId> EXPRESSION_CHECKS = Set.of(CheckId.UNKNOWN_METRIC, CheckId.UNKNOWN_LABEL,
            CheckId.UNKNOWN_LABEL_VALUE, CheckId.METRIC_TYPE_MISMATCH, CheckId.RANGE_TOO_SHORT);
    /** The scrape interval the ranges are judged at, verify-alerts' default. */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(30);
    /**
     * Grafana's interval variables, replaced as Grafana does before a query is sent (with their
     * smallest value at a 30 s scrape), so the parser sees what Prometheus sees.
     */
    static final Map<String, String> INTERVALS = Map.of("$__rate_interval", "2m", "${__rate_interval}", "2m",
            "$__interval", "30s", "${__interval}", "30s", "$__range", "1h", "${__range}", "1h");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExportedMetrics exported;

    @BeforeAll
    static void catalogs() {
        List<MetricCatalog> catalogs = new ArrayList<>();
        ServiceLoader.load(MetricCatalog.class).forEach(catalogs::add);
        assertThat(catalogs).extracting(MetricCatalog::module)
                .contains("beacon-resilience-core", "beacon-resilience-outbox", "beacon-health");
        exported = ExportedMetrics.builder().catalogs(catalogs).build();
    }

    @Test
    void isACurrentGrafanaModelWhosePanelsAllUseThePrometheusInput() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(SCHEMA_VERSION);
        assertThat(dashboard.path("id").isNull()).as("id is null, so an import creates the dashboard").isTrue();
        assertThat(dashboard.path("__inputs")).anySatisfy(input -> {
            assertThat(input.path("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(input.path("type").asText()).isEqualTo("datasource");
            assertThat(input.path("pluginId").asText()).isEqualTo("prometheus");
        });
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard)) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel '%s'", title).isEqualTo(DATASOURCE);
            assertThat(panel.path("targets")).as("targets of panel '%s'", title).isNotEmpty().allSatisfy(target -> {
                assertThat(target.path("datasource").path("uid").asText()).as("target datasource in '%s'", title)
                        .isEqualTo(DATASOURCE);
                assertThat(target.path("expr").asText()).as("expr of a target in '%s'", title).isNotBlank();
            });
        }
        assertThat(dashboard.path("templating").path("list")).allSatisfy(variable ->
                assertThat(variable.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE));
    }

    @Test
    void everyQueryParsesAndNamesOnlyExportedMetricsAndLabels() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> queries = queries(dashboard);

        assertThat(queries).as("panel targets and variable queries").hasSizeGreaterThan(10);
        assertThat(problems(queries)).as("problems of the dashboard's queries").isEmpty();
        assertThat(String.join("\n", queries)).as("the runbook's metrics are on the dashboard").contains(
                "jobs_enqueued_total", "jobs_processed_total", "outbox_unpublished_count",
                "outbox_oldest_unpublished_age_seconds", "http_request_duration_seconds_bucket",
                "negotiation_probes_total", "resilience4j_circuitbreaker_state", "outbox_consumer_lag");
    }

    @Test
    void theChecksCatchAnUnknownMetricLabelOrValue() {
        List<String> problems = problems(List.of(
                "panel 'typo' A\tsum(rate(jobs_enqueud_total[5m]))",
                "panel 'label' A\tsum by (outcom) (rate(jobs_processed_total{region=\"lhr\"}[5m]))",
                "panel 'value' A\tresilience4j_circuitbreaker_state{state=\"opened\"}",
                "panel 'syntax' A\tsum(rate(jobs_processed_total[5m])",
                "variable 'v'\tcount by (instanse) (jobs_enqueued_total)"));

        assertThat(problems).hasSize(6);
        assertThat(String.join("\n", problems)).contains("jobs_enqueud_total is not exported; did you mean jobs_enqueued_total?",
                "'outcom'", "no label 'region'", "'opened'", "panel 'syntax' A: does not parse", "'instanse'");
    }

    /** Every panel, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /**
     * Each query as {@code <where>\t<PromQL>}: panel targets as written, {@code label_values(m, l)}
     * variables as {@code count by (l) (m)}, which asks the checks about both metric and label.
     */
    private static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText() + "\t"
                        + target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher labelValues = LABEL_VALUES.matcher(query);
            assertThat(labelValues.matches()).as("variable %s is a label_values(metric, label) query: %s",
                    variable.path("name"), query).isTrue();
            queries.add("variable '" + variable.path("name").asText() + "'\tcount by (" + labelValues.group(2) + ") ("
                    + labelValues.group(1) + ")");
        }
        return queries;
    }

    /** What verify-alerts' parser and expression checks say about each query, one line per problem. */
    private static List<String> problems(List<String> queries) {
        List<CheckedRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String query : queries) {
            String where = query.substring(0, query.indexOf('\t'));
            String expr = query.substring(query.indexOf('\t') + 1);
            for (Map.Entry<String, String> interval : INTERVALS.entrySet()) {
                expr = expr.replace(interval.getKey(), interval.getValue());
            }
            Expr parsed;
            try {
                parsed = PromQlParser.parse(expr);
            } catch (PromQlSyntaxException e) {
                problems.add(where + ": does not parse: " + e.detail() + " at column " + e.column() + " of " + expr);
                continue;
            }
            // A recording rule named after the panel: the checks judge its expression as they judge a rule file's.
            Rule rule = new Rule(DASHBOARD, "grafana", false, where, expr, 1, new Rule.ExprPosition(1, 1, false), null,
                    Map.of(), Map.of(), Set.of(), Map.of());
            rules.add(new CheckedRule(rule, DASHBOARD.toString(), parsed, null, new LabelInference(exported::labels)));
        }
        CheckContext context = new CheckContext(Path.of("."), List.of(), rules, List.of(), List.of(), Map.of(), exported,
                SCRAPE_INTERVAL);
        for (CheckedRule rule : rules) {
            for (Check check : Checks.all()) {
                if (EXPRESSION_CHECKS.contains(check.id())) {
                    check.rule(rule, context).forEach(finding -> problems.add(rule.rule().name() + ": "
                            + finding.check().id() + ": " + finding.message() + " in " + rule.rule().expr()));
                }
            }
        }
        return problems;
    }
}
