package org.projectbeacon.maven.runbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed runbook file: its alert sections, every heading anchor, and the metrics it names.
 *
 * @param file the file
 * @param sections alert sections, in file order
 * @param headings every heading, in file order
 * @param metrics metric references, in file order
 */
public record Runbook(Path file, List<RunbookSection> sections, List<Heading> headings, List<MetricReference> metrics) {

    /** Validates and copies the fields. */
    public Runbook {
        Objects.requireNonNull(file, "file");
        sections = List.copyOf(sections);
        headings = List.copyOf(headings);
        metrics = List.copyOf(metrics);
    }

    /** A heading with its anchor and level. */
    public record Heading(String text, String anchor, int level, int line) {}

    /** The section of {@code alert}, if any. */
    public Optional<RunbookSection> section(String alert) {
        return sections.stream().filter(s -> s.alert().equals(alert)).findFirst();
    }

    /** Whether a heading has the anchor {@code anchor}. */
    public boolean hasAnchor(String anchor) {
        return headings.stream().anyMatch(h -> h.anchor().equals(anchor));
    }
}
