package org.projectbeacon.maven.promql;

/**
 * Where a node or error sits inside the expression text.
 *
 * <p>{@code start} and {@code end} are 0-based {@code char} offsets into the parsed string, end
 * exclusive; {@code line} and {@code column} are the 1-based position of {@code start}, counting
 * {@code char}s (a tab is one column). A caller that parsed an expression taken from a file adds
 * the expression's own position to map these onto the file. Immutable and thread-safe.
 *
 * @param start  offset of the first character, from 0
 * @param end    offset just past the last character, at least {@code start}
 * @param line   line of {@code start}, from 1
 * @param column column of {@code start}, from 1
 */
public record Span(int start, int end, int line, int column) {

    /**
     * Checks the invariants.
     *
     * @throws IllegalArgumentException if an offset is negative, {@code end < start}, or line or
     *                                  column is below 1
     */
    public Span {
        if (start < 0 || end < start || line < 1 || column < 1) {
            throw new IllegalArgumentException(
                    "invalid span: start=" + start + " end=" + end + " line=" + line + " column=" + column);
        }
    }

    /**
     * The text this span covers in {@code source}, which must be the string that was parsed.
     *
     * @throws IndexOutOfBoundsException if {@code source} is shorter than {@code end}
     */
    public String text(String source) {
        return source.substring(start, end);
    }
}
