package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.projectbeacon.maven.promql.LabelMatcher;
import org.projectbeacon.maven.promql.MatchOp;
import org.projectbeacon.maven.promql.VectorSelector;

/**
 * {@code unknown-label-value}: an {@code =} matcher whose value lies outside the closed value set a
 * catalog declares for the label (values seen in metrics files count as known), or an {@code =~}
 * regular expression that matches none of them. Matchers that also match the empty string (an
 * absent label) are left alone.
 */
final class UnknownLabelValueCheck extends ExpressionCheck {

    @Override
    public CheckId id() {
        return CheckId.UNKNOWN_LABEL_VALUE;
    }

    @Override
    List<Finding> expression(CheckedRule rule, CheckContext context) {
        List<Finding> findings = new ArrayList<>();
        for (VectorSelector selector : rule.expr().vectorSelectors()) {
            if (selector.metricName().isEmpty()) {
                continue;
            }
            String metric = selector.metricName().get();
            for (LabelMatcher matcher : selector.matchers()) {
                if (matcher.isMetricName() || matcher.op() != MatchOp.EQUAL && matcher.op() != MatchOp.REGEX) {
                    continue;
                }
                Optional<Set<String>> known = context.metrics().knownValues(metric, matcher.name());
                if (known.isPresent() && matchesNone(matcher, known.get())) {
                    findings.add(rule.at(id(), matcher.span(), metric, metric + " never has " + matcher.name() + " "
                            + (matcher.op() == MatchOp.EQUAL ? "'" + matcher.value() + "'" : "matching /" + matcher.value() + "/")
                            + ", so " + matcher + " matches no series; its values are " + known.get()));
                }
            }
        }
        return findings;
    }

    private static boolean matchesNone(LabelMatcher matcher, Set<String> known) {
        try {
            return !matcher.matches("") && known.stream().noneMatch(matcher::matches);
        } catch (PatternSyntaxException e) {
            // RE2 syntax Java lacks: say nothing rather than guess.
            return false;
        }
    }
}
