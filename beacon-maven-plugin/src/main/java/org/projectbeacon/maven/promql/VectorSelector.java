package org.projectbeacon.maven.promql;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An instant vector selector such as {@code http_requests_total{job="api", code=~"5.."} offset 5m}.
 *
 * <p>The metric name written before the braces, or as a bare quoted string inside them (Prometheus
 * 3's {@code {"my.metric"}}), is {@link #name()}; it is not repeated in {@link #matchers()}, which
 * hold only what is written as {@code label op value}. Immutable and thread-safe.
 *
 * @param name     the metric name, if one was written outside the matchers
 * @param matchers the label matchers in source order; unmodifiable
 * @param offset   the {@code offset} modifier, possibly negative; inside a {@link MatrixSelector}
 *                 this holds the range selector's offset
 * @param at       the {@code @} modifier; inside a {@link MatrixSelector} this holds the range
 *                 selector's modifier
 * @param span     where the selector sits, modifiers included when it stands alone
 */
public record VectorSelector(Optional<String> name, List<LabelMatcher> matchers, Optional<Duration> offset,
                             Optional<AtModifier> at, Span span) implements Expr {

    /**
     * Checks for nulls and copies the matcher list.
     *
     * @throws NullPointerException if an argument or a matcher is null
     */
    public VectorSelector {
        Objects.requireNonNull(name, "name");
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(span, "span");
    }

    /**
     * The metric this selector selects by exact name: {@link #name()}, or else the value of the
     * first {@code __name__="..."} matcher; empty when the name is unconstrained or matched by a
     * regular expression.
     */
    public Optional<String> metricName() {
        if (name.isPresent()) {
            return name;
        }
        return matchers.stream()
                .filter(m -> m.isMetricName() && m.op() == MatchOp.EQUAL)
                .map(LabelMatcher::value)
                .findFirst();
    }

    /** Always {@link ValueType#VECTOR}. */
    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    /** Always empty. */
    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitVectorSelector(this);
    }

    /** The selector as PromQL. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }

    VectorSelector withOffset(Duration newOffset, Span newSpan) {
        return new VectorSelector(name, matchers, Optional.of(newOffset), at, newSpan);
    }

    VectorSelector withAt(AtModifier newAt, Span newSpan) {
        return new VectorSelector(name, matchers, offset, Optional.of(newAt), newSpan);
    }
}
