package org.projectbeacon.resilience;

import java.util.Objects;

/**
 * What happened in one region of a failed {@link RegionFallback} call.
 *
 * @param region the region
 * @param skipped {@code true} when the region's breaker refused the call, so no call was made
 * @param cause the failure (for a skipped region, the breaker's rejection)
 */
public record RegionFailure(String region, boolean skipped, Throwable cause) {

    /** Checks that the fields are present. */
    public RegionFailure {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(cause, "cause");
    }

    /** One line: {@code lhr: skipped (circuit breaker open)} or {@code fra: IOException: refused}. */
    public String describe() {
        if (skipped) {
            return region + ": skipped (circuit breaker open)";
        }
        String message = cause.getMessage();
        return region + ": " + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
