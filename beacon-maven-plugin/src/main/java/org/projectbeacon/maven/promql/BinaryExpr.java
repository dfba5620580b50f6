package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A binary operation such as {@code a + b}, {@code errors / ignoring(code) total > bool 0.1} or
 * {@code up == 0 unless on(job) x}. Immutable and thread-safe.
 *
 * @param op         the operator
 * @param lhs        the left operand
 * @param rhs        the right operand
 * @param returnBool whether the {@code bool} modifier was written (only on comparisons)
 * @param matching   the {@code on}/{@code ignoring} clause, if written
 * @param span       where the operation sits, from the start of {@code lhs} to the end of
 *                   {@code rhs}
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, Optional<VectorMatching> matching,
                         Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public BinaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(lhs, "lhs");
        Objects.requireNonNull(rhs, "rhs");
        Objects.requireNonNull(matching, "matching");
        Objects.requireNonNull(span, "span");
    }

    /**
     * The number literal operand, looking through parentheses: the right one if it is a number,
     * else the left one, else empty. For a comparison such as {@code rate(x[5m]) > 0.1} this is
     * the threshold.
     */
    public Optional<NumberLiteral> numberOperand() {
        if (rhs.unwrapParens() instanceof NumberLiteral n) {
            return Optional.of(n);
        }
        if (lhs.unwrapParens() instanceof NumberLiteral n) {
            return Optional.of(n);
        }
        return Optional.empty();
    }

    /** {@link ValueType#SCALAR} when both operands are scalars, else {@link ValueType#VECTOR}. */
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    /** The left operand, then the right one. */
    @Override
    public List<Expr> children() {
        return List.of(lhs, rhs);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitBinary(this);
    }

    /** The operation as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
