package org.projectbeacon.maven.labels;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The label names a series (or every series an expression returns) may carry.
 *
 * <p>A closed set lists every label that can be there; an open set lists some and allows others
 * (a metric nothing declares, an external metric without a label list). Checks only ever report a
 * label missing from a closed set. Immutable and thread-safe.
 *
 * @param names the labels known to be possible, sorted; unmodifiable
 * @param open whether labels beyond {@code names} are possible too
 */
public record LabelSet(Set<String> names, boolean open) {

    /** Nothing is known: any label is possible. */
    public static final LabelSet ANY = new LabelSet(Set.of(), true);
    /** No label at all (a number, {@code vector(1)}, {@code sum(x)}). */
    public static final LabelSet NONE = new LabelSet(Set.of(), false);

    /** Sorts and copies the names. */
    public LabelSet {
        names = Collections.unmodifiableSet(new TreeSet<>(names));
    }

    /** Exactly {@code names} are possible. */
    public static LabelSet closed(Collection<String> names) {
        return new LabelSet(Set.copyOf(names), false);
    }

    /** Whether a series of this set can carry label {@code name}. */
    public boolean mayCarry(String name) {
        return open || names.contains(name);
    }

    /** This set with {@code more} labels possible too. */
    public LabelSet plus(Collection<String> more) {
        Set<String> all = new TreeSet<>(names);
        all.addAll(more);
        return new LabelSet(all, open);
    }

    /** This set without {@code dropped}. */
    public LabelSet minus(Collection<String> dropped) {
        Set<String> kept = new TreeSet<>(names);
        kept.removeAll(dropped);
        return new LabelSet(kept, open);
    }

    /** Only the labels of {@code kept} that this set may carry: a closed set. */
    public LabelSet keep(Collection<String> kept) {
        Set<String> result = new TreeSet<>();
        for (String name : kept) {
            if (mayCarry(name)) {
                result.add(name);
            }
        }
        return new LabelSet(result, false);
    }

    /** Labels either set may carry. */
    public LabelSet union(LabelSet other) {
        return plus(other.names).withOpen(open || other.open);
    }

    private LabelSet withOpen(boolean isOpen) {
        return new LabelSet(names, isOpen);
    }

    /** {@code [a, b]}, with {@code , ...} when open. */
    @Override
    public String toString() {
        return open ? names.toString().replace("]", names.isEmpty() ? "...]" : ", ...]") : names.toString();
    }
}
