package org.projectbeacon.resilience.metrics;

import java.util.Locale;

/** How a job or a negotiation probe ended; the {@code outcome} tag value is the lower-case name. */
public enum JobOutcome {
    /** It succeeded. */
    SUCCESS,
    /** It failed. */
    FAILURE;

    /** The tag value: {@code success} or {@code failure}. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
