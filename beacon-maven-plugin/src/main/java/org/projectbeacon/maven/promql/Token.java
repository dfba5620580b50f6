package org.projectbeacon.maven.promql;

/**
 * One token of an expression.
 *
 * @param type  the kind
 * @param text  the source text
 * @param value the decoded value of a string, else the same as {@code text}
 * @param start offset of the first character
 * @param end   offset just past the last character
 */
record Token(TokenType type, String text, String value, int start, int end) {

    /** The token as error messages name it, such as {@code identifier "foo"} or {@code ")"}. */
    String describe() {
        return switch (type) {
            case EOF -> "end of expression";
            case IDENTIFIER, METRIC_IDENTIFIER -> "identifier " + ExprPrinter.quote(abbreviate(text));
            case NUMBER -> "number " + ExprPrinter.quote(abbreviate(text));
            case DURATION -> "duration " + ExprPrinter.quote(abbreviate(text));
            case STRING -> "string " + abbreviate(text);
            default -> type.isKeyword() ? "keyword " + ExprPrinter.quote(text) : ExprPrinter.quote(text);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
