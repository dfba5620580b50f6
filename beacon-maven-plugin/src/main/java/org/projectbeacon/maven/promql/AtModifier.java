package org.projectbeacon.maven.promql;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The {@code @} modifier of a selector or subquery: a fixed evaluation time ({@code @ 1609746000})
 * or the start or end of the query range ({@code @ start()}, {@code @ end()}). Immutable and
 * thread-safe.
 *
 * @param kind      which form was written
 * @param timestamp seconds since the Unix epoch for {@link Kind#TIMESTAMP}; 0 for the other kinds
 */
public record AtModifier(Kind kind, double timestamp) {

    /** The form of an {@code @} modifier. */
    public enum Kind {
        /** {@code @ <number>}. */
        TIMESTAMP,
        /** {@code @ start()}. */
        START,
        /** {@code @ end()}. */
        END
    }

    /**
     * Checks the timestamp against the kind.
     *
     * @throws NullPointerException     if {@code kind} is null
     * @throws IllegalArgumentException if a {@link Kind#TIMESTAMP} is not finite, or another kind
     *                                  has a timestamp other than 0
     */
    public AtModifier {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.TIMESTAMP && !Double.isFinite(timestamp)) {
            throw new IllegalArgumentException("timestamp must be finite: " + timestamp);
        }
        if (kind != Kind.TIMESTAMP && timestamp != 0) {
            throw new IllegalArgumentException(kind + " takes no timestamp");
        }
    }

    /**
     * {@code @ seconds}.
     *
     * @throws IllegalArgumentException if {@code seconds} is not finite
     */
    public static AtModifier at(double seconds) {
        return new AtModifier(Kind.TIMESTAMP, seconds);
    }

    /** {@code @ start()}. */
    public static AtModifier start() {
        return new AtModifier(Kind.START, 0);
    }

    /** {@code @ end()}. */
    public static AtModifier end() {
        return new AtModifier(Kind.END, 0);
    }

    /** The modifier as PromQL, such as {@code @ 1609746000} or {@code @ end()}. */
    @Override
    public String toString() {
        return switch (kind) {
            case START -> "@ start()";
            case END -> "@ end()";
            case TIMESTAMP -> "@ " + BigDecimal.valueOf(timestamp).stripTrailingZeros().toPlainString();
        };
    }
}
