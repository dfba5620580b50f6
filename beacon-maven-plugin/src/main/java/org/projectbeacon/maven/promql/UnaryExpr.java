package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * A unary plus or minus on anything but a bare number, such as {@code -rate(x[5m])} or
 * {@code -(1)}; a sign directly before a number is folded into the {@link NumberLiteral}. It binds
 * like {@code *}: {@code -a ^ b} is {@code -(a ^ b)} and {@code -a * b} is {@code (-a) * b}.
 * Immutable and thread-safe.
 *
 * @param op   the operator
 * @param expr the operand; a scalar or instant vector
 * @param span where the operation sits, operator included
 */
public record UnaryExpr(UnaryOp op, Expr expr, Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public UnaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(span, "span");
    }

    /** The operand's type. */
    @Override
    public ValueType type() {
        return expr.type();
    }

    /** The operand. */
    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitUnary(this);
    }

    /** The operation as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
