package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.projectbeacon.maven.metrics.ExportedMetric;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.promql.BinaryExpr;
import org.projectbeacon.maven.promql.Call;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.VectorSelector;

/**
 * {@code metric-type-mismatch}: {@code rate()} of a gauge, {@code histogram_quantile()} of a
 * non-bucket series, a {@code _bucket} of a timer without a histogram, and (a warning) a counter
 * compared with a number without {@code rate()} or {@code increase()}.
 */
final class MetricTypeMismatchCheck extends ExpressionCheck {

    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase", "resets");

    @Override
    public CheckId id() {
        return CheckId.METRIC_TYPE_MISMATCH;
    }

    @Override
    List<Finding> expression(CheckedRule rule, CheckContext context) {
        ExportedMetrics metrics = context.metrics();
        List<Finding> findings = new ArrayList<>();
        for (VectorSelector selector : rule.firstSelectorPerName()) {
            String name = selector.name().orElseThrow();
            if (UnknownMetricCheck.missingBuckets(name, metrics)) {
                findings.add(rule.at(id(), selector.span(), name, metrics.family(name).orElseThrow().family()
                        + " publishes no histogram, so " + name
                        + " does not exist; publish a histogram (serviceLevelObjectives or percentile histogram)"));
            }
        }
        for (Expr node : rule.expr().nodes().toList()) {
            if (node instanceof Call call) {
                findings.addAll(callTypes(rule, call, metrics));
            } else if (node instanceof BinaryExpr binary && binary.op().isComparison()) {
                counterComparison(rule, binary, metrics).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private List<Finding> callTypes(CheckedRule rule, Call call, ExportedMetrics metrics) {
        List<Finding> findings = new ArrayList<>();
        if (COUNTER_FUNCTIONS.contains(call.function()) && !call.args().isEmpty()) {
            for (VectorSelector selector : call.args().get(0).vectorSelectors()) {
                String name = selector.name().orElse(null);
                if (name != null && Expressions.isGaugeLike(name, metrics)) {
                    findings.add(rule.at(id(), selector.span(), name, call.function() + "() of " + name
                            + ", which is a gauge; use delta() or deriv(), or the gauge itself"));
                }
            }
        }
        if (call.function().equals("histogram_quantile") && call.args().size() == 2) {
            for (VectorSelector selector : call.args().get(1).vectorSelectors()) {
                String name = selector.name().orElse(null);
                if (name == null || name.endsWith("_bucket")) {
                    continue;
                }
                Optional<ExportedMetric> family = metrics.family(name);
                if (family.isPresent() && family.get().kind() != ExportedMetric.Kind.UNKNOWN) {
                    findings.add(rule.at(id(), selector.span(), name,
                            "histogram_quantile() over " + name + ", which is not a _bucket series"));
                }
            }
        }
        return findings;
    }

    private static Optional<Finding> counterComparison(CheckedRule rule, BinaryExpr binary, ExportedMetrics metrics) {
        Expr left = Expressions.unwrap(binary.lhs());
        Expr right = Expressions.unwrap(binary.rhs());
        VectorSelector selector = left instanceof VectorSelector l && Expressions.number(right).isPresent() ? l
                : right instanceof VectorSelector r && Expressions.number(left).isPresent() ? r : null;
        if (selector == null || selector.name().isEmpty()) {
            return Optional.empty();
        }
        String name = selector.name().get();
        Optional<ExportedMetric> family = metrics.family(name);
        boolean counter = family.map(f -> f.kind() == ExportedMetric.Kind.COUNTER
                || f.kind() == ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY && (name.endsWith("_count") || name.endsWith("_sum")))
                .orElse(false);
        if (!counter) {
            return Optional.empty();
        }
        int[] at = rule.locate(selector.span());
        return Optional.of(new Finding(CheckId.METRIC_TYPE_MISMATCH, Severity.WARNING, rule.file(), at[0], at[1],
                rule.alert(), name, "counter " + name + " is compared without rate() or increase(); its value only grows"));
    }
}
