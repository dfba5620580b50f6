package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.projectbeacon.maven.metrics.ExportedMetric;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.promql.VectorSelector;
import org.projectbeacon.maven.runbook.MetricReference;
import org.projectbeacon.maven.runbook.Runbook;

/** {@code unknown-metric}: a metric a rule or runbook names that nothing exports, with the closest name. */
final class UnknownMetricCheck extends ExpressionCheck {

    @Override
    public CheckId id() {
        return CheckId.UNKNOWN_METRIC;
    }

    @Override
    List<Finding> expression(CheckedRule rule, CheckContext context) {
        List<Finding> findings = new ArrayList<>();
        for (VectorSelector selector : rule.firstSelectorPerName()) {
            String name = selector.name().orElseThrow();
            if (!context.metrics().exports(name) && !missingBuckets(name, context.metrics())) {
                findings.add(rule.at(id(), selector.span(), name, message(name, false, context.metrics())));
            }
        }
        return findings;
    }

    @Override
    public List<Finding> project(CheckContext context) {
        List<Finding> findings = new ArrayList<>();
        for (Runbook runbook : context.runbooks()) {
            for (MetricReference reference : runbook.metrics()) {
                boolean known = reference.prefix() ? context.metrics().exportsPrefix(reference.name())
                        : context.metrics().exports(reference.name());
                if (!known) {
                    findings.add(Finding.of(id(), context.display(runbook.file()), reference.line(), reference.column(),
                            null, reference.name(), message(reference.name(), reference.prefix(), context.metrics())));
                }
            }
        }
        return findings;
    }

    /** A {@code _bucket} of a family without a histogram: {@code metric-type-mismatch} reports it. */
    static boolean missingBuckets(String name, ExportedMetrics metrics) {
        Optional<ExportedMetric> family = metrics.family(name);
        return name.endsWith("_bucket") && family.isPresent() && !family.get().histogram();
    }

    /** The message of an unknown metric, with the closest exported name when there is one. */
    static String message(String name, boolean prefix, ExportedMetrics metrics) {
        String what = prefix ? "no exported metric starts with " + name : "metric " + name + " is not exported";
        return what + metrics.closest(name).map(c -> "; did you mean " + c + "?").orElse(
                "; export it, add it to metricsFiles or externalMetrics, or fix the name");
    }
}
