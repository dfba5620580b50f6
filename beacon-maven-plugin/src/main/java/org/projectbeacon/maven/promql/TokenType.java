package org.projectbeacon.maven.promql;

/** The kinds of token the {@link Lexer} produces. */
enum TokenType {
    IDENTIFIER,
    /** An identifier containing a colon, such as a recording rule name; never a function or label. */
    METRIC_IDENTIFIER,
    NUMBER,
    DURATION,
    STRING,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACE,
    RIGHT_BRACE,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    COLON,
    AT,
    /** {@code =}, valid only as a label matcher. */
    ASSIGN,
    EQL_REGEX,
    NEQ_REGEX,
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    POW,
    EQLC,
    /** {@code !=}: a comparison outside braces, a label matcher inside. */
    NEQ,
    LTE,
    LSS,
    GTE,
    GTR,
    // Keywords, recognised in any letter case outside braces.
    AND,
    OR,
    UNLESS,
    ATAN2,
    BY,
    WITHOUT,
    ON,
    IGNORING,
    GROUP_LEFT,
    GROUP_RIGHT,
    BOOL,
    OFFSET,
    START,
    END,
    /** {@code sum}, {@code topk} and the other aggregation operators. */
    AGGREGATOR,
    EOF;

    boolean isKeyword() {
        return ordinal() >= AND.ordinal() && ordinal() <= AGGREGATOR.ordinal();
    }
}
