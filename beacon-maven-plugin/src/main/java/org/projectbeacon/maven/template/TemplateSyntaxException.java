package org.projectbeacon.maven.template;

/**
 * A Prometheus annotation or label template that Go's {@code text/template} would refuse, with
 * where in the template text it stopped.
 */
public final class TemplateSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** A syntax error at 0-based {@code offset} of the template text. */
    public TemplateSyntaxException(String detail, int offset) {
        super(detail);
        this.offset = offset;
    }

    /** The 0-based character offset in the template text. */
    public int offset() {
        return offset;
    }
}
