package org.projectbeacon.maven.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectbeacon.maven.promql.Call;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.MatrixSelector;

/**
 * {@code range-too-short}: a range selector under {@code rate}, {@code irate}, {@code increase} or
 * a {@code *_over_time} function shorter than two scrape intervals; with fewer than two samples in
 * the window these return nothing most of the time, and the alert never fires.
 */
final class RangeTooShortCheck extends ExpressionCheck {

    private static final Set<String> RATE_FUNCTIONS = Set.of("rate", "irate", "increase");

    @Override
    public CheckId id() {
        return CheckId.RANGE_TOO_SHORT;
    }

    @Override
    List<Finding> expression(CheckedRule rule, CheckContext context) {
        Duration minimum = context.scrapeInterval().multipliedBy(2);
        List<Finding> findings = new ArrayList<>();
        for (Expr node : rule.expr().nodes().toList()) {
            if (!(node instanceof Call call)
                    || !RATE_FUNCTIONS.contains(call.function()) && !call.function().endsWith("_over_time")) {
                continue;
            }
            for (Expr arg : call.args()) {
                if (arg.unwrapParens() instanceof MatrixSelector range && range.range().compareTo(minimum) < 0) {
                    String metric = range.selector().metricName().orElse(null);
                    findings.add(rule.at(id(), range.span(), metric, call.function() + "() over ["
                            + Expressions.human(range.range()) + "] sees fewer than two samples at a scrape interval of "
                            + Expressions.human(context.scrapeInterval()) + ", so it is empty most of the time; use ["
                            + Expressions.human(minimum) + "] or more (or set scrapeInterval)"));
                }
            }
        }
        return findings;
    }
}
