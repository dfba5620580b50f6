package org.projectbeacon.health.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a route when a dependency it needs is unreachable for now: {@link BeaconEndpoints} answers
 * {@code 503} with a {@code Retry-After} header and this exception's message, never {@code 500}. A
 * {@link java.sql.SQLException} escaping a route is answered the same way, as "database unavailable".
 *
 * <p>The message is sent to the client: it must name the dependency, never a host, a credential or a
 * stack trace. Immutable.
 */
public final class UnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Default {@code Retry-After}: 5 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final transient Duration retryAfter;

    /**
     * A 503 with {@code message} and {@code Retry-After: retryAfter} (whole seconds, at least 1).
     *
     * @param cause the underlying failure, logged by the caller if at all, never sent to the client
     */
    public UnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter must be positive but was " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** How long the client should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The {@code Retry-After} header value: whole seconds, rounded up, at least 1. */
    public String retryAfterSeconds() {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Long.toString(Math.max(1, seconds));
    }
}
