package org.projectbeacon.resilience;

/** The state changes {@link BreakerAdmin} performs; each is audited. */
public enum AdminOperation {
    /** Clear the breaker's window and close it. */
    RESET,
    /** Close the breaker, keeping its window. */
    CLOSE,
    /** Reject every call for a duration, then close by itself. */
    FORCE_OPEN,
    /** Let every call through and record nothing. */
    DISABLE,
    /** Let every call through but keep recording, so metrics stay true. */
    METRICS_ONLY;

    /** The lower-case, hyphenated form used in URLs, metrics and logs (for example {@code force-open}). */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
