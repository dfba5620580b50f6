package org.projectbeacon.maven.check;

import java.util.Objects;

/**
 * One problem found, located in a file.
 *
 * @param check the check that found it
 * @param severity how bad it is (usually the check's own severity)
 * @param file the file, relative to the project where possible
 * @param line the 1-based line, or 0 when unknown
 * @param column the 1-based column, or 0 when unknown
 * @param alert the alert concerned, or {@code null}
 * @param metric the metric concerned, or {@code null}
 * @param message one sentence saying what is wrong and, where possible, what to do
 */
public record Finding(
        CheckId check, Severity severity, String file, int line, int column, String alert, String metric, String message) {

    /** Validates the fields. */
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** A finding at the check's usual severity. */
    public static Finding of(CheckId check, String file, int line, int column, String alert, String metric, String message) {
        return new Finding(check, check.severity(), file, line, column, alert, metric, message);
    }
}
