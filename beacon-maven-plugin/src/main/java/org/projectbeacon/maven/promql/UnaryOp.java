package org.projectbeacon.maven.promql;

/**
 * A unary operator. Immutable and thread-safe.
 */
public enum UnaryOp {
    /** {@code +}: the operand unchanged. */
    PLUS("+"),
    /** {@code -}: the operand negated. */
    MINUS("-");

    private final String symbol;

    UnaryOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
        return symbol;
    }
}
