package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import org.projectbeacon.maven.labels.LabelSet;
import org.projectbeacon.maven.promql.AggregateExpr;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.Grouping;
import org.projectbeacon.maven.promql.LabelMatcher;
import org.projectbeacon.maven.promql.VectorSelector;

/**
 * {@code unknown-label}: a matcher on a label the metric never carries ({@code =}, {@code !=},
 * {@code =~} and {@code !~} alike: the first never matches, the others match everything), or a
 * {@code by}/{@code without} clause naming a label its argument cannot carry. Only metrics whose
 * labels are known (catalogs, metrics files, external metrics with a label list, recording rules
 * whose expression fixes them) are checked; Prometheus' target labels are always known.
 */
final class UnknownLabelCheck extends ExpressionCheck {

    @Override
    public CheckId id() {
        return CheckId.UNKNOWN_LABEL;
    }

    @Override
    List<Finding> expression(CheckedRule rule, CheckContext context) {
        List<Finding> findings = new ArrayList<>();
        for (Expr node : rule.expr().nodes().toList()) {
            if (node instanceof VectorSelector selector && selector.metricName().isPresent()) {
                String metric = selector.metricName().get();
                LabelSet labels = rule.labels().labels(selector);
                for (LabelMatcher matcher : selector.matchers()) {
                    if (!matcher.isMetricName() && !labels.mayCarry(matcher.name())) {
                        findings.add(rule.at(id(), matcher.span(), metric, metric + " has no label '" + matcher.name()
                                + "', so " + matcher + (matcher.op().name().startsWith("NOT") ? " matches every series"
                                        : " matches no series") + "; its labels are " + labels.names()));
                    }
                }
            } else if (node instanceof AggregateExpr aggregate && aggregate.grouping().mode() != Grouping.Mode.NONE) {
                LabelSet inner = rule.labels().labels(aggregate.expr());
                String metric = aggregate.expr().metricNames().stream().findFirst().orElse(null);
                for (String label : aggregate.grouping().labels()) {
                    if (!label.startsWith("__") && !inner.mayCarry(label)) {
                        findings.add(rule.at(id(), aggregate.span(), metric, aggregate.op().keyword() + " "
                                + aggregate.grouping() + " names '" + label + "', which its argument"
                                + (metric == null ? "" : " (" + metric + ")") + " never carries; it carries "
                                + inner.names()));
                    }
                }
            }
        }
        return findings;
    }
}
