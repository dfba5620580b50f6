package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Objects;

/**
 * The vector matching clause of a binary operation, as written: {@code on (labels)} or
 * {@code ignoring (labels)}, optionally followed by {@code group_left (labels)} or
 * {@code group_right (labels)}. Immutable and thread-safe.
 *
 * @param on      true for {@code on}, false for {@code ignoring}
 * @param labels  the labels of the {@code on}/{@code ignoring} clause; unmodifiable
 * @param group   which side may have many series per match, or {@link Group#NONE}
 * @param include the labels of the {@code group_left}/{@code group_right} clause, copied from the
 *                "one" side; empty when there is no group clause; unmodifiable
 */
public record VectorMatching(boolean on, List<String> labels, Group group, List<String> include) {

    /** The {@code group_left}/{@code group_right} modifier. */
    public enum Group {
        /** One-to-one matching (many-to-many for set operators). */
        NONE,
        /** {@code group_left}: many series on the left may match one on the right. */
        LEFT,
        /** {@code group_right}: many series on the right may match one on the left. */
        RIGHT
    }

    /**
     * Checks for nulls and copies the label lists.
     *
     * @throws NullPointerException     if an argument or a label is null
     * @throws IllegalArgumentException if {@code include} has labels but {@code group} is
     *                                  {@link Group#NONE}
     */
    public VectorMatching {
        labels = List.copyOf(labels);
        Objects.requireNonNull(group, "group");
        include = List.copyOf(include);
        if (group == Group.NONE && !include.isEmpty()) {
            throw new IllegalArgumentException("include labels need group_left or group_right: " + include);
        }
    }

    /** The clause as PromQL, such as {@code on (job) group_left (owner)}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(on ? "on " : "ignoring ").append(ExprPrinter.labelList(labels));
        if (group != Group.NONE) {
            out.append(group == Group.LEFT ? " group_left " : " group_right ").append(ExprPrinter.labelList(include));
        }
        return out.toString();
    }
}
