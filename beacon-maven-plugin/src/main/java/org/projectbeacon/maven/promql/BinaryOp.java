package org.projectbeacon.maven.promql;

/**
 * A binary operator, with its precedence and associativity as in Prometheus. Immutable and
 * thread-safe.
 *
 * <p>From tightest to loosest: {@code ^} (right-associative); {@code * / % atan2}; {@code + -};
 * the comparisons {@code == != <= < >= >}; {@code and unless}; {@code or}. All but {@code ^} are
 * left-associative.
 */
public enum BinaryOp {
    /** {@code ^}. */
    POW("^", 6),
    /** {@code *}. */
    MUL("*", 5),
    /** {@code /}. */
    DIV("/", 5),
    /** {@code %}. */
    MOD("%", 5),
    /** {@code atan2}. */
    ATAN2("atan2", 5),
    /** {@code +}. */
    ADD("+", 4),
    /** {@code -}. */
    SUB("-", 4),
    /** {@code ==}. */
    EQL("==", 3),
    /** {@code !=}. */
    NEQ("!=", 3),
    /** {@code <=}. */
    LTE("<=", 3),
    /** {@code <}. */
    LSS("<", 3),
    /** {@code >=}. */
    GTE(">=", 3),
    /** {@code >}. */
    GTR(">", 3),
    /** {@code and}. */
    AND("and", 2),
    /** {@code unless}. */
    UNLESS("unless", 2),
    /** {@code or}. */
    OR("or", 1);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written, such as {@code >=} or {@code unless}. */
    public String symbol() {
        return symbol;
    }

    /** Binding strength: a higher number binds tighter; {@code or} is 1, {@code ^} is 6. */
    public int precedence() {
        return precedence;
    }

    /** Whether {@code a op b op c} groups as {@code a op (b op c)}; true only for {@code ^}. */
    public boolean isRightAssociative() {
        return this == POW;
    }

    /** Whether this is a comparison: {@code == != <= < >= >}. */
    public boolean isComparison() {
        return precedence == 3;
    }

    /** Whether this is a set operator: {@code and or unless}. */
    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    /**
     * The comparison that holds with the operands swapped, so that {@code 5 < x} can be read as
     * {@code x > 5}: {@code <} and {@code >} swap, as do {@code <=} and {@code >=}; {@code ==} and
     * {@code !=} stay.
     *
     * @throws IllegalStateException if this is not a comparison
     */
    public BinaryOp mirrored() {
        return switch (this) {
            case LSS -> GTR;
            case GTR -> LSS;
            case LTE -> GTE;
            case GTE -> LTE;
            case EQL, NEQ -> this;
            default -> throw new IllegalStateException(symbol + " is not a comparison");
        };
    }
}
