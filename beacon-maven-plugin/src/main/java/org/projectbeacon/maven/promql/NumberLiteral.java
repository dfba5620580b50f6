package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * A number: {@code 42}, {@code 0.05}, {@code 1e3}, {@code 0x1F}, {@code Inf}, {@code NaN}, or a
 * duration used as a number of seconds ({@code 5m} is 300), as Prometheus 3 allows.
 *
 * <p>A unary minus or plus written directly before a number is folded into it, as Prometheus does:
 * {@code -1} is this node with value -1 and text {@code "-1"}, not a {@link UnaryExpr}; a
 * parenthesised {@code -(1)} stays a {@link UnaryExpr}. Immutable and thread-safe.
 *
 * @param value the value; may be infinite or NaN
 * @param text  the spelling in the source, sign included, such as {@code "0.05"} or {@code "5m"};
 *              printing uses it so that numbers round-trip exactly
 * @param span  where the literal sits, sign included
 */
public record NumberLiteral(double value, String text, Span span) implements Expr {

    /**
     * Checks for nulls and an empty text.
     *
     * @throws NullPointerException     if {@code text} or {@code span} is null
     * @throws IllegalArgumentException if {@code text} is empty
     */
    public NumberLiteral {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(span, "span");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("text must not be empty");
        }
    }

    /** Always {@link ValueType#SCALAR}. */
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    /** Always empty. */
    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitNumberLiteral(this);
    }

    /** The source spelling, such as {@code 0.05}. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
