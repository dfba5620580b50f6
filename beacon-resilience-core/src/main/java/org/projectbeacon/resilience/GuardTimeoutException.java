package org.projectbeacon.resilience;

import java.time.Duration;

/**
 * Thrown when one attempt of a guarded call outlives the guard's timeout. The breaker records it as
 * a failure and the retry may try again.
 */
public final class GuardTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String guardName;
    private final Duration timeout;

    /** Creates the exception for {@code guardName} and the {@code timeout} it exceeded. */
    public GuardTimeoutException(String guardName, Duration timeout, Throwable cause) {
        super("guard " + guardName + " timed out after " + timeout.toMillis() + " ms", cause);
        this.guardName = guardName;
        this.timeout = timeout;
    }

    /** The guard whose timeout was exceeded. */
    public String guardName() {
        return guardName;
    }

    /** The timeout that was exceeded. */
    public Duration timeout() {
        return timeout;
    }
}
