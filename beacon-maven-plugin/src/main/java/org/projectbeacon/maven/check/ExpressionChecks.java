package org.projectbeacon.maven.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.projectbeacon.maven.metrics.ExportedMetric;
import org.projectbeacon.maven.metrics.ExportedMetrics;
import org.projectbeacon.maven.promql.BinaryExpr;
import org.projectbeacon.maven.promql.BinaryOp;
import org.projectbeacon.maven.promql.Call;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.MatrixSelector;
import org.projectbeacon.maven.promql.NumberLiteral;
import org.projectbeacon.maven.promql.ParenExpr;
import org.projectbeacon.maven.promql.PromQlParser;
import org.projectbeacon.maven.promql.PromQlSyntaxException;
import org.projectbeacon.maven.promql.Span;
import org.projectbeacon.maven.promql.SubqueryExpr;
import org.projectbeacon.maven.promql.UnaryExpr;
import org.projectbeacon.maven.promql.UnaryOp;
import org.projectbeacon.maven.promql.VectorSelector;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.runbook.RunbookSection;

/**
 * The checks that read a rule's expression: {@code promql-syntax}, {@code unknown-metric},
 * {@code metric-type-mismatch}, and, against the rule's runbook section, {@code threshold-mismatch}
 * and {@code duration-mismatch}. Stateless.
 */
final class ExpressionChecks {

    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase", "resets");
    private static final double TOLERANCE = 1e-9;

    private ExpressionChecks() {}

    /** A rule's expression parsed, or the {@code promql-syntax} finding saying why not. */
    record Parsed(Expr expr, Finding error) {}

    static Parsed parse(Rule rule, String file) {
        try {
            return new Parsed(PromQlParser.parse(rule.expr()), null);
        } catch (PromQlSyntaxException e) {
            int[] at = rule.exprPosition().locate(e.line(), e.column());
            return new Parsed(null, Finding.of(CheckId.PROMQL_SYNTAX, file, at[0], at[1], rule.alert() ? rule.name() : null,
                    null, "expression of " + rule.name() + " does not parse: " + e.detail()));
        }
    }

    /** Metric existence and type checks of a parsed expression. */
    static List<Finding> metrics(Rule rule, String file, Expr expr, ExportedMetrics metrics) {
        List<Finding> findings = new ArrayList<>();
        String alert = rule.alert() ? rule.name() : null;
        Set<String> reported = new LinkedHashSet<>();
        for (VectorSelector selector : expr.vectorSelectors()) {
            Optional<String> name = selector.name();
            if (name.isEmpty() || metrics.exports(name.get()) || !reported.add(name.get())) {
                continue;
            }
            int[] at = locate(rule, selector.span());
            Optional<ExportedMetric> family = metrics.family(name.get());
            if (name.get().endsWith("_bucket") && family.isPresent() && !family.get().histogram()) {
                findings.add(Finding.of(CheckId.METRIC_TYPE_MISMATCH, file, at[0], at[1], alert, name.get(),
                        family.get().family() + " publishes no histogram, so " + name.get()
                                + " does not exist; publish a histogram (serviceLevelObjectives or percentile histogram)"));
            } else {
                findings.add(Finding.of(CheckId.UNKNOWN_METRIC, file, at[0], at[1], alert, name.get(),
                        AlertVerifier.unknownMessage(name.get(), false, metrics)));
            }
        }
        for (Expr node : expr.nodes().toList()) {
            if (node instanceof Call call) {
                findings.addAll(callTypes(rule, file, alert, call, metrics));
            } else if (node instanceof BinaryExpr binary && binary.op().isComparison()) {
                counterComparison(rule, file, alert, binary, metrics).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static List<Finding> callTypes(Rule rule, String file, String alert, Call call, ExportedMetrics metrics) {
        List<Finding> findings = new ArrayList<>();
        if (COUNTER_FUNCTIONS.contains(call.function()) && !call.args().isEmpty()) {
            for (VectorSelector selector : call.args().get(0).vectorSelectors()) {
                String name = selector.name().orElse(null);
                if (name != null && isGaugeLike(name, metrics)) {
                    int[] at = locate(rule, selector.span());
                    findings.add(Finding.of(CheckId.METRIC_TYPE_MISMATCH, file, at[0], at[1], alert, name,
                            call.function() + "() of " + name + ", which is a gauge; use delta() or deriv(), or the gauge itself"));
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
                    int[] at = locate(rule, selector.span());
                    findings.add(Finding.of(CheckId.METRIC_TYPE_MISMATCH, file, at[0], at[1], alert, name,
                            "histogram_quantile() over " + name + ", which is not a _bucket series"));
                }
            }
        }
        return findings;
    }

    private static Optional<Finding> counterComparison(
            Rule rule, String file, String alert, BinaryExpr binary, ExportedMetrics metrics) {
        Expr left = unwrap(binary.lhs());
        Expr right = unwrap(binary.rhs());
        VectorSelector selector = left instanceof VectorSelector l && number(right).isPresent() ? l
                : right instanceof VectorSelector r && number(left).isPresent() ? r : null;
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
        int[] at = locate(rule, selector.span());
        return Optional.of(new Finding(CheckId.METRIC_TYPE_MISMATCH, Severity.WARNING, file, at[0], at[1], alert, name,
                "counter " + name + " is compared without rate() or increase(); its value only grows"));
    }

    /** The runbook's stated threshold and duration against the rule's. */
    static List<Finding> symptoms(Rule rule, String file, Expr expr, RunbookSection section, String runbookFile) {
        Symptoms symptoms = Symptoms.parse(section.symptoms());
        List<Finding> findings = new ArrayList<>();
        String where = runbookFile + ":" + section.symptomsLine();
        if (!symptoms.thresholds().isEmpty()) {
            List<Comparison> compared = comparisons(expr);
            for (Symptoms.Comparison stated : symptoms.thresholds()) {
                boolean agrees = compared.stream().anyMatch(c -> c.operator().equals(stated.operator())
                        && (close(c.value(), stated.value()) || stated.percent() && close(c.value(), stated.value() * 100)));
                if (!agrees) {
                    findings.add(Finding.of(CheckId.THRESHOLD_MISMATCH, file, rule.line(), 0, rule.name(), null,
                            "runbook (" + where + ") says '" + stated.written() + "' (" + stated.operator() + " "
                                    + format(stated.value()) + ") but " + rule.name() + " compares "
                                    + (compared.isEmpty() ? "nothing to a number" : compared.stream()
                                            .map(c -> c.operator() + " " + format(c.value()))
                                            .collect(Collectors.joining(", ")))));
                }
            }
        }
        if (symptoms.duration() != null) {
            Duration stated = symptoms.duration();
            List<Duration> windows = windows(expr);
            boolean agrees = stated.equals(rule.forDuration()) || windows.contains(stated);
            if (!agrees) {
                findings.add(Finding.of(CheckId.DURATION_MISMATCH, file, rule.line(), 0, rule.name(), null,
                        "runbook (" + where + ") says " + human(stated) + " but " + rule.name() + " has "
                                + (rule.forDuration() == null ? "no 'for'" : "for: " + human(rule.forDuration()))
                                + (windows.isEmpty() ? "" : " and windows " + windows.stream().map(ExpressionChecks::human)
                                        .collect(Collectors.joining(", ", "[", "]")))));
            }
        }
        return findings;
    }

    /** A comparison of the rule with a number, turned so the number is on the right. */
    record Comparison(String operator, double value) {}

    static List<Comparison> comparisons(Expr expr) {
        List<Comparison> comparisons = new ArrayList<>();
        for (Expr node : expr.nodes().toList()) {
            if (node instanceof BinaryExpr binary && binary.op().isComparison()) {
                Optional<Double> right = number(unwrap(binary.rhs()));
                Optional<Double> left = number(unwrap(binary.lhs()));
                if (right.isPresent() && left.isEmpty()) {
                    comparisons.add(new Comparison(binary.op().symbol(), right.get()));
                } else if (left.isPresent() && right.isEmpty()) {
                    comparisons.add(new Comparison(binary.op().mirrored().symbol(), left.get()));
                }
            }
        }
        return comparisons;
    }

    private static List<Duration> windows(Expr expr) {
        List<Duration> windows = new ArrayList<>();
        for (Expr node : expr.nodes().toList()) {
            if (node instanceof MatrixSelector matrix) {
                windows.add(matrix.range());
            } else if (node instanceof SubqueryExpr subquery) {
                windows.add(subquery.range());
            }
        }
        return windows.stream().distinct().toList();
    }

    private static boolean isGaugeLike(String name, ExportedMetrics metrics) {
        Optional<ExportedMetric> family = metrics.family(name);
        if (family.isEmpty()) {
            return false;
        }
        return family.get().kind() == ExportedMetric.Kind.GAUGE
                || family.get().kind() == ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY && name.endsWith("_max");
    }

    private static Expr unwrap(Expr expr) {
        Expr current = expr;
        while (current instanceof ParenExpr paren) {
            current = paren.expr();
        }
        return current;
    }

    private static Optional<Double> number(Expr expr) {
        Expr current = unwrap(expr);
        if (current instanceof NumberLiteral literal) {
            return Optional.of(literal.value());
        }
        if (current instanceof UnaryExpr unary && unwrap(unary.expr()) instanceof NumberLiteral literal) {
            return Optional.of(unary.op() == UnaryOp.MINUS ? -literal.value() : literal.value());
        }
        return Optional.empty();
    }

    private static int[] locate(Rule rule, Span span) {
        return rule.exprPosition().locate(span.line(), span.column());
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a));
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return duration.toMillis() % 1000 == 0 ? seconds + "s" : duration.toMillis() + "ms";
    }
}
