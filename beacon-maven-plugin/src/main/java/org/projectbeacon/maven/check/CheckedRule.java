package org.projectbeacon.maven.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.maven.labels.LabelInference;
import org.projectbeacon.maven.labels.LabelSet;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.Span;
import org.projectbeacon.maven.promql.VectorSelector;
import org.projectbeacon.maven.rules.Rule;

/**
 * A rule as the checks see it: read, its expression parsed, its labels inferable.
 *
 * @param rule the rule
 * @param file its file as findings name it
 * @param expr the parsed expression, or {@code null} when it does not parse
 * @param parseError the {@code promql-syntax} finding, or {@code null}
 * @param labels the label inference of the expression, or {@code null} without an expression
 */
public record CheckedRule(Rule rule, String file, Expr expr, Finding parseError, LabelInference labels) {

    /** Validates the fields. */
    public CheckedRule {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(file, "file");
    }

    /** The alert name for findings, or {@code null} for a recording rule. */
    public String alert() {
        return rule.alert() ? rule.name() : null;
    }

    /** The labels the expression's series carry; {@link LabelSet#ANY} without an expression. */
    public LabelSet resultLabels() {
        return expr == null ? LabelSet.ANY : labels.labels(expr);
    }

    /** The first selector naming each metric (written before the braces), in source order. */
    public List<VectorSelector> firstSelectorPerName() {
        Map<String, VectorSelector> first = new LinkedHashMap<>();
        for (VectorSelector selector : expr.vectorSelectors()) {
            selector.name().ifPresent(name -> first.putIfAbsent(name, selector));
        }
        return List.copyOf(first.values());
    }

    /** The file line and column of {@code span} inside the expression. */
    public int[] locate(Span span) {
        return rule.exprPosition().locate(span.line(), span.column());
    }

    /** A finding of {@code check} at {@code span} of the expression. */
    public Finding at(CheckId check, Span span, String metric, String message) {
        int[] at = locate(span);
        return Finding.of(check, file, at[0], at[1], alert(), metric, message);
    }
}
