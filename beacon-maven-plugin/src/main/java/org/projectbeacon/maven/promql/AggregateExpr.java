package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An aggregation such as {@code sum by (job) (rate(x[5m]))} or {@code topk(5, x)}; the grouping
 * clause may be written before or after the arguments. Immutable and thread-safe.
 *
 * @param op       the operator
 * @param grouping the {@code by}/{@code without} clause, {@link Grouping#NONE} if absent
 * @param param    the parameter ({@code 5} in {@code topk(5, x)}), present exactly when
 *                 {@link AggregateOp#hasParameter()}
 * @param expr     the aggregated expression; an instant vector
 * @param span     where the aggregation sits, grouping clause included
 */
public record AggregateExpr(AggregateOp op, Grouping grouping, Optional<Expr> param, Expr expr, Span span)
        implements Expr {

    /**
     * Checks for nulls and that the parameter matches the operator.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code param} is present for an operator without one, or
     *                                  absent for one with one
     */
    public AggregateExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(span, "span");
        if (param.isPresent() != op.hasParameter()) {
            throw new IllegalArgumentException(op.keyword() + (op.hasParameter() ? " needs" : " takes no") + " parameter");
        }
    }

    /** Always {@link ValueType#VECTOR}. */
    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    /** The parameter, if any, then the aggregated expression. */
    @Override
    public List<Expr> children() {
        return param.map(p -> List.of(p, expr)).orElseGet(() -> List.of(expr));
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitAggregate(this);
    }

    /** The aggregation as PromQL, grouping clause first. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
