package org.projectbeacon.maven.check;

import java.util.Arrays;
import java.util.Optional;

/**
 * The checks of {@code verify-alerts}, each with the stable id used in reports and suppressions.
 */
public enum CheckId {
    /** Unparsable YAML, with file:line:column. */
    YAML_SYNTAX("yaml-syntax", Severity.ERROR),
    /** A rule without alert/record or expr, an invalid {@code for}, wrong types, unknown fields. */
    RULE_SCHEMA("rule-schema", Severity.ERROR),
    /** An expression that does not parse. */
    PROMQL_SYNTAX("promql-syntax", Severity.ERROR),
    /** An alert with no runbook section. */
    ALERT_WITHOUT_RUNBOOK("alert-without-runbook", Severity.ERROR),
    /** A runbook alert section with no rule. */
    RUNBOOK_WITHOUT_ALERT("runbook-without-alert", Severity.ERROR),
    /** An alert without a {@code runbook_url} annotation. */
    MISSING_RUNBOOK_URL("missing-runbook-url", Severity.WARNING),
    /** A {@code runbook_url} into the runbook whose anchor matches no heading. */
    BROKEN_RUNBOOK_URL("broken-runbook-url", Severity.ERROR),
    /** A metric that nothing exports. */
    UNKNOWN_METRIC("unknown-metric", Severity.ERROR),
    /** A function or operator used on a metric of the wrong type. */
    METRIC_TYPE_MISMATCH("metric-type-mismatch", Severity.ERROR),
    /** The runbook's stated comparison disagrees with the rule's. */
    THRESHOLD_MISMATCH("threshold-mismatch", Severity.ERROR),
    /** The runbook's stated duration disagrees with the rule's {@code for} or range. */
    DURATION_MISMATCH("duration-mismatch", Severity.ERROR),
    /** A matcher or {@code by}/{@code without} label the metric never carries. */
    UNKNOWN_LABEL("unknown-label", Severity.ERROR),
    /** A matcher value outside the label's closed value set. */
    UNKNOWN_LABEL_VALUE("unknown-label-value", Severity.ERROR),
    /** A range under rate(), increase(), irate() or *_over_time() shorter than two scrape intervals. */
    RANGE_TOO_SHORT("range-too-short", Severity.ERROR),
    /** An alert label or annotation that is not a valid Prometheus template. */
    TEMPLATE_SYNTAX("template-syntax", Severity.ERROR),
    /** A template reading {@code $labels.X} where the alert's series cannot carry X. */
    TEMPLATE_LABEL_MISSING("template-label-missing", Severity.ERROR);

    private final String id;
    private final Severity severity;

    CheckId(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    /** The stable id, such as {@code alert-without-runbook}. */
    public String id() {
        return id;
    }

    /** The check's usual severity. */
    public Severity severity() {
        return severity;
    }

    /** The check with stable id {@code id}. */
    public static Optional<CheckId> byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
}
