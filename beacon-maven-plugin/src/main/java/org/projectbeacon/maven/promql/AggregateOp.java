package org.projectbeacon.maven.promql;

import java.util.Locale;
import java.util.Optional;

/**
 * An aggregation operator such as {@code sum} or {@code topk}. Immutable and thread-safe.
 */
public enum AggregateOp {
    /** {@code sum}. */
    SUM(false),
    /** {@code min}. */
    MIN(false),
    /** {@code max}. */
    MAX(false),
    /** {@code avg}. */
    AVG(false),
    /** {@code group}. */
    GROUP(false),
    /** {@code stddev}. */
    STDDEV(false),
    /** {@code stdvar}. */
    STDVAR(false),
    /** {@code count}. */
    COUNT(false),
    /** {@code count_values}: its parameter is the output label, a string. */
    COUNT_VALUES(true),
    /** {@code bottomk}: its parameter is k, a scalar. */
    BOTTOMK(true),
    /** {@code topk}: its parameter is k, a scalar. */
    TOPK(true),
    /** {@code quantile}: its parameter is φ, a scalar. */
    QUANTILE(true),
    /** {@code limitk}: its parameter is k, a scalar. */
    LIMITK(true),
    /** {@code limit_ratio}: its parameter is the ratio, a scalar. */
    LIMIT_RATIO(true);

    private final boolean hasParameter;

    AggregateOp(boolean hasParameter) {
        this.hasParameter = hasParameter;
    }

    /** The operator as written, in lower case, such as {@code count_values}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the operator takes a parameter before the aggregated expression. */
    public boolean hasParameter() {
        return hasParameter;
    }

    /** The type the parameter must have; only meaningful when {@link #hasParameter()}. */
    public ValueType parameterType() {
        return this == COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
    }

    /**
     * The operator spelled {@code keyword}, ignoring case as Prometheus does, or empty if none is.
     *
     * @throws NullPointerException if {@code keyword} is null
     */
    public static Optional<AggregateOp> fromKeyword(String keyword) {
        String lower = keyword.toLowerCase(Locale.ROOT);
        for (AggregateOp op : values()) {
            if (op.keyword().equals(lower)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
