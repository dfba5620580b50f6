package org.projectbeacon.maven.check;

import java.util.List;

/** A check of a rule's parsed expression; a rule whose expression does not parse is left to {@code promql-syntax}. */
abstract class ExpressionCheck implements Check {

    @Override
    public final List<Finding> rule(CheckedRule rule, CheckContext context) {
        return rule.expr() == null ? List.of() : expression(rule, context);
    }

    /** Findings on {@code rule}, whose {@link CheckedRule#expr()} is present. */
    abstract List<Finding> expression(CheckedRule rule, CheckContext context);
}
