package org.projectbeacon.maven.promql;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A range vector selector such as {@code http_requests_total{job="api"}[5m] offset 1h}.
 *
 * <p>As in Prometheus, the {@code offset} and {@code @} modifiers written after the range are held
 * by the inner {@link #selector()}; {@link #offset()} and {@link #at()} read them from there.
 * Immutable and thread-safe.
 *
 * @param selector the instant selector the range applies to
 * @param range    the range, such as 5 minutes for {@code [5m]}
 * @param span     where the range selector sits, modifiers included
 */
public record MatrixSelector(VectorSelector selector, Duration range, Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public MatrixSelector {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(span, "span");
    }

    /** The {@code offset} modifier, read from {@link #selector()}. */
    public Optional<Duration> offset() {
        return selector.offset();
    }

    /** The {@code @} modifier, read from {@link #selector()}. */
    public Optional<AtModifier> at() {
        return selector.at();
    }

    /** Always {@link ValueType#MATRIX}. */
    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    /** The inner selector. */
    @Override
    public List<Expr> children() {
        return List.of(selector);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitMatrixSelector(this);
    }

    /** The range selector as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
