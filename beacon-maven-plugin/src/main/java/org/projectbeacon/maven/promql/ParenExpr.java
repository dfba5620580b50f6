package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * An expression in parentheses, kept in the tree so that printing reproduces the source grouping;
 * {@link Expr#unwrapParens()} looks through it. Immutable and thread-safe.
 *
 * @param expr the enclosed expression
 * @param span where the parentheses sit
 */
public record ParenExpr(Expr expr, Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public ParenExpr {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(span, "span");
    }

    /** The enclosed expression's type. */
    @Override
    public ValueType type() {
        return expr.type();
    }

    /** The enclosed expression. */
    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitParen(this);
    }

    /** The expression as PromQL, parentheses included. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
