package org.projectbeacon.maven.promql;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subquery such as {@code max_over_time(rate(x[5m])[30m:1m])}'s {@code rate(x[5m])[30m:1m]}:
 * an instant-vector expression evaluated over a range at a resolution. Immutable and thread-safe.
 *
 * @param expr   the expression evaluated at each step; an instant vector
 * @param range  the range, such as 30 minutes
 * @param step   the resolution, absent for {@code [30m:]} (the global evaluation interval)
 * @param offset the {@code offset} modifier, possibly negative
 * @param at     the {@code @} modifier
 * @param span   where the subquery sits, modifiers included
 */
public record SubqueryExpr(Expr expr, Duration range, Optional<Duration> step, Optional<Duration> offset,
                           Optional<AtModifier> at, Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public SubqueryExpr {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(span, "span");
    }

    /** Always {@link ValueType#MATRIX}. */
    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    /** The inner expression. */
    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitSubquery(this);
    }

    /** The subquery as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }

    SubqueryExpr withOffset(Duration newOffset, Span newSpan) {
        return new SubqueryExpr(expr, range, step, Optional.of(newOffset), at, newSpan);
    }

    SubqueryExpr withAt(AtModifier newAt, Span newSpan) {
        return new SubqueryExpr(expr, range, step, offset, Optional.of(newAt), newSpan);
    }
}
