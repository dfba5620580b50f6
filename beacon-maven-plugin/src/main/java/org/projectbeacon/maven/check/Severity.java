package org.projectbeacon.maven.check;

import java.util.Locale;

/** How bad a finding is: errors fail the build, warnings only with {@code failOnWarning}. */
public enum Severity {
    /** Fails the build. */
    ERROR,
    /** Reported; fails the build only with {@code failOnWarning}. */
    WARNING;

    /** {@code error} or {@code warning}, as the reports write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
