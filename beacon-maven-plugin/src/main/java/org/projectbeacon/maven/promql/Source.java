package org.projectbeacon.maven.promql;

import java.util.Arrays;

/** The expression text, with the line starts needed to turn offsets into lines and columns. */
final class Source {

    final String text;
    private final int[] lineStarts;

    Source(String text) {
        this.text = text;
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

    Span span(int start, int end) {
        int line = line(start);
        return new Span(start, end, line, start - lineStarts[line - 1] + 1);
    }

    PromQlSyntaxException error(int offset, String detail) {
        int line = line(offset);
        return new PromQlSyntaxException(detail, offset, line, offset - lineStarts[line - 1] + 1);
    }

    /** Where an offset is, as {@code line:column}, for messages that point back at an opening token. */
    String position(int offset) {
        int line = line(offset);
        return line + ":" + (offset - lineStarts[line - 1] + 1);
    }

    private int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
