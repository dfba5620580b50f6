package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * A function call such as {@code rate(http_requests_total[5m])} or
 * {@code histogram_quantile(0.95, ...)}.
 *
 * <p>Functions Prometheus knows have their arity and argument types checked when parsing; other
 * names are accepted as they are (see {@link #knownFunction()}), so that a newer Prometheus'
 * functions do not break the build. Immutable and thread-safe.
 *
 * @param function the function name as written, such as {@code rate}
 * @param args     the arguments in order; unmodifiable
 * @param span     where the call sits, from name to closing parenthesis
 */
public record Call(String function, List<Expr> args, Span span) implements Expr {

    /**
     * Checks for nulls and copies the argument list.
     *
     * @throws NullPointerException if an argument or an element of {@code args} is null
     */
    public Call {
        Objects.requireNonNull(function, "function");
        args = List.copyOf(args);
        Objects.requireNonNull(span, "span");
    }

    /** Whether {@link #function()} is one Prometheus 3 (or, for {@code holt_winters}, 2) knows. */
    public boolean knownFunction() {
        return FunctionSignature.lookup(function).isPresent();
    }

    /**
     * The function's return type: {@link ValueType#SCALAR} for {@code time()}, {@code pi()} and
     * {@code scalar()}, {@link ValueType#VECTOR} for every other function, known or not.
     */
    @Override
    public ValueType type() {
        return FunctionSignature.lookup(function).map(FunctionSignature::returnType).orElse(ValueType.VECTOR);
    }

    /** The arguments. */
    @Override
    public List<Expr> children() {
        return args;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitCall(this);
    }

    /** The call as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
