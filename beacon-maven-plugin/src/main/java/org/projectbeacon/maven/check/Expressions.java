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

/** What the checks that read a rule's expression share: parsing, comparisons, windows, formatting. Stateless. */
final class Expressions {

    private static final double TOLERANCE = 1e-9;

    private Expressions() {}

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

    static List<Duration> windows(Expr expr) {
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

    static boolean isGaugeLike(String name, ExportedMetrics metrics) {
        Optional<ExportedMetric> family = metrics.family(name);
        if (family.isEmpty()) {
            return false;
        }
        return family.get().kind() == ExportedMetric.Kind.GAUGE
                || family.get().kind() == ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY && name.endsWith("_max");
    }

    static Expr unwrap(Expr expr) {
        Expr current = expr;
        while (current instanceof ParenExpr paren) {
            current = paren.expr();
        }
        return current;
    }

    static Optional<Double> number(Expr expr) {
        Expr current = unwrap(expr);
        if (current instanceof NumberLiteral literal) {
            return Optional.of(literal.value());
        }
        if (current instanceof UnaryExpr unary && unwrap(unary.expr()) instanceof NumberLiteral literal) {
            return Optional.of(unary.op() == UnaryOp.MINUS ? -literal.value() : literal.value());
        }
        return Optional.empty();
    }

    static int[] locate(Rule rule, Span span) {
        return rule.exprPosition().locate(span.line(), span.column());
    }

    static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a));
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    static String human(Duration duration) {
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
