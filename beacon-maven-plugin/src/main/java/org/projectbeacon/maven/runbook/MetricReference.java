package org.projectbeacon.maven.runbook;

import java.util.Objects;

/**
 * A metric the runbook names: a full name such as {@code outbox_unpublished_count}, or a prefix
 * such as {@code jobs_} from {@code curl .../metrics | grep jobs_}.
 *
 * @param name the name or prefix
 * @param prefix whether any exported metric starting with {@code name} satisfies it
 * @param line the 1-based line in the runbook
 * @param column the 1-based column of the name on that line
 */
public record MetricReference(String name, boolean prefix, int line, int column) {

    /** Validates the fields. */
    public MetricReference {
        Objects.requireNonNull(name, "name");
    }
}
