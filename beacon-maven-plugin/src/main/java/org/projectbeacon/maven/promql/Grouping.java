package org.projectbeacon.maven.promql;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code by (...)} or {@code without (...)} clause of an aggregation. Immutable and
 * thread-safe.
 *
 * @param mode   which clause was written, or {@link Mode#NONE}
 * @param labels the labels in the clause, in source order; empty for {@link Mode#NONE} and for
 *               {@code by ()}; unmodifiable
 */
public record Grouping(Mode mode, List<String> labels) {

    /** No grouping clause: the aggregation folds every series into one. */
    public static final Grouping NONE = new Grouping(Mode.NONE, List.of());

    /** Which grouping clause an aggregation has. */
    public enum Mode {
        /** No clause. */
        NONE,
        /** {@code by (labels)}: keep only these labels. */
        BY,
        /** {@code without (labels)}: drop these labels. */
        WITHOUT
    }

    /**
     * Checks for nulls and copies the label list.
     *
     * @throws NullPointerException     if an argument or a label is null
     * @throws IllegalArgumentException if {@code mode} is {@link Mode#NONE} and there are labels
     */
    public Grouping {
        Objects.requireNonNull(mode, "mode");
        labels = List.copyOf(labels);
        if (mode == Mode.NONE && !labels.isEmpty()) {
            throw new IllegalArgumentException("labels need a by or without clause: " + labels);
        }
    }

    /** The clause as PromQL, such as {@code by (job, instance)}; empty for {@link Mode#NONE}. */
    @Override
    public String toString() {
        return mode == Mode.NONE ? "" : mode.name().toLowerCase(Locale.ROOT) + " " + ExprPrinter.labelList(labels);
    }
}
