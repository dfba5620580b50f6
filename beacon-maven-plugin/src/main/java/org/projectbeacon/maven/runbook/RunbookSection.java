package org.projectbeacon.maven.runbook;

import java.util.Objects;

/**
 * One alert's section of a runbook.
 *
 * @param alert the alert name
 * @param heading the heading text of the section
 * @param anchor the GitHub anchor of the heading (lower-case, punctuation dropped, spaces to hyphens)
 * @param line the 1-based line of the heading
 * @param symptoms the text after {@code **Symptoms**:}, or {@code null}
 * @param symptomsLine the 1-based line of the symptoms, or 0
 * @param declared whether the section declares its alert with an {@code **Alert**:} line or is a
 *     one-alert file titled with the alert's name, rather than only having a heading equal to a name
 */
public record RunbookSection(
        String alert, String heading, String anchor, int line, String symptoms, int symptomsLine, boolean declared) {

    /** Validates the fields. */
    public RunbookSection {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(heading, "heading");
    }
}
