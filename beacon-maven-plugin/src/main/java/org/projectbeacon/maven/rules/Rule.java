package org.projectbeacon.maven.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One alerting or recording rule as read from a rule file, with where it stands.
 *
 * @param file the rule file
 * @param group the group's name
 * @param alert whether this is an alerting rule (else a recording rule)
 * @param name the alert name or the recorded series name
 * @param expr the PromQL expression
 * @param line the 1-based line of the rule's first key
 * @param exprPosition where the expression's text starts in the file, to locate parse errors
 * @param forDuration the {@code for:} duration, or {@code null}
 * @param labels the rule's labels
 * @param annotations the rule's annotations
 * @param suppressed check ids suppressed with {@code # beacon:ignore <id>} on the rule
 * @param valuePositions where the value of each label and annotation starts, keyed
 *     {@code labels.<name>} and {@code annotations.<name>}
 */
public record Rule(
        Path file,
        String group,
        boolean alert,
        String name,
        String expr,
        int line,
        ExprPosition exprPosition,
        Duration forDuration,
        Map<String, String> labels,
        Map<String, String> annotations,
        Set<String> suppressed,
        Map<String, ExprPosition> valuePositions) {

    /** Validates and copies the fields. */
    public Rule {
        valuePositions = Map.copyOf(valuePositions);
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expr");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        suppressed = Set.copyOf(suppressed);
    }

    /** Where the value of label or annotation {@code name} starts; {@code kind} is {@code labels} or {@code annotations}. */
    public ExprPosition valuePosition(String kind, String name) {
        return valuePositions.getOrDefault(kind + "." + name, new ExprPosition(line, 0, false));
    }

    /**
     * Where an expression's text starts: the 1-based line and column of its first character, and
     * whether it is a block scalar whose lines keep their layout (so a parse error's line inside the
     * expression maps to a file line).
     */
    public record ExprPosition(int line, int column, boolean block) {

        /** The file line and column of the 1-based {@code exprLine}:{@code exprColumn} inside the expression. */
        public int[] locate(int exprLine, int exprColumn) {
            if (exprLine <= 1 || !block) {
                return new int[] {line + (block ? exprLine - 1 : 0), (exprLine <= 1 ? column : 1) + exprColumn - 1};
            }
            return new int[] {line + exprLine - 1, column + exprColumn - 1};
        }
    }
}
