package org.projectbeacon.maven.promql;

import java.util.Objects;

/**
 * Thrown by {@link PromQlParser#parse(String)} for an expression that is not valid PromQL.
 *
 * <p>The message reads {@code line:column: detail}, for instance
 * {@code 1:12: unknown escape sequence U+002E '.'}, and names the offending token. Line and column
 * are 1-based and count {@code char}s within the expression, a tab being one column; a caller that
 * took the expression from a file adds the expression's own position. Only the first error is
 * reported. Immutable once thrown; safe to share.
 */
public final class PromQlSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String detail;
    private final int offset;
    private final int line;
    private final int column;

    /**
     * Creates an exception for an error at a given position.
     *
     * @param detail what is wrong, without the position
     * @param offset the 0-based {@code char} offset of the error in the expression
     * @param line   the 1-based line
     * @param column the 1-based column
     * @throws NullPointerException if {@code detail} is null
     */
    public PromQlSyntaxException(String detail, int offset, int line, int column) {
        super(line + ":" + column + ": " + Objects.requireNonNull(detail, "detail"));
        this.detail = detail;
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** What is wrong, without the position, such as {@code unknown escape sequence U+002E '.'}. */
    public String detail() {
        return detail;
    }

    /** The 0-based {@code char} offset of the error in the expression. */
    public int offset() {
        return offset;
    }

    /** The 1-based line of the error within the expression. */
    public int line() {
        return line;
    }

    /** The 1-based column of the error within its line. */
    public int column() {
        return column;
    }
}
