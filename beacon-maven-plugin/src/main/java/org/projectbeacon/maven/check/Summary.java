package org.projectbeacon.maven.check;

/**
 * The counts a verification ends with.
 *
 * @param alerts alerting rules read
 * @param runbookSections alert sections found in the runbooks
 * @param metricsExported distinct series names exported
 * @param errors findings of severity error, after suppressions
 * @param warnings findings of severity warning, after suppressions
 */
public record Summary(int alerts, int runbookSections, int metricsExported, int errors, int warnings) {

    /** One line: {@code 5 alerts, 5 runbook sections, 48 metrics exported: 0 errors, 1 warning}. */
    public String line() {
        return alerts + " alert" + (alerts == 1 ? "" : "s") + ", " + runbookSections + " runbook section"
                + (runbookSections == 1 ? "" : "s") + ", " + metricsExported + " metrics exported: " + errors + " error"
                + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s");
    }
}
