package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * A string literal such as {@code "job"}, {@code 'job'} or {@code `a\b`}, holding its value with
 * escape sequences already resolved. Immutable and thread-safe.
 *
 * @param value the decoded value, without quotes
 * @param span  where the literal sits, quotes included
 */
public record StringLiteral(String value, Span span) implements Expr {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public StringLiteral {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(span, "span");
    }

    /** Always {@link ValueType#STRING}. */
    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    /** Always empty. */
    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitStringLiteral(this);
    }

    /** The value as a double-quoted PromQL string with Go escapes. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }
}
