package org.projectbeacon.maven.promql;

/**
 * The operator of a label matcher inside a selector's braces. Immutable and thread-safe.
 */
public enum MatchOp {
    /** {@code =}: the label equals the value. */
    EQUAL("="),
    /** {@code !=}: the label differs from the value. */
    NOT_EQUAL("!="),
    /** {@code =~}: the label fully matches the regular expression. */
    REGEX("=~"),
    /** {@code !~}: the label does not fully match the regular expression. */
    NOT_REGEX("!~");

    private final String symbol;

    MatchOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written, such as {@code =~}. */
    public String symbol() {
        return symbol;
    }

    /** Whether the value is a regular expression ({@link #REGEX} or {@link #NOT_REGEX}). */
    public boolean isRegex() {
        return this == REGEX || this == NOT_REGEX;
    }
}
