package org.projectbeacon.maven.check;

import java.util.List;

/**
 * One check of {@code verify-alerts}, for exactly one {@link CheckId}. {@link AlertVerifier}
 * loads the inputs once, runs {@link #rule} for every rule and {@link #project} once, applies the
 * suppressions and sorts the findings.
 *
 * <p>Implementations are stateless and thread-safe; bad content is reported as findings, never
 * thrown. Adding a check is one implementation, one {@link CheckId} constant, one entry in
 * {@link Checks#all()}, one invoker IT and one line of the plugin's README.
 */
public interface Check {

    /** The id of every finding this check reports. */
    CheckId id();

    /** Findings on one rule; a {@code # beacon:ignore <id>} comment on the rule drops them. */
    default List<Finding> rule(CheckedRule rule, CheckContext context) {
        return List.of();
    }

    /** Findings that belong to no single rule (loading, runbooks). */
    default List<Finding> project(CheckContext context) {
        return List.of();
    }
}
