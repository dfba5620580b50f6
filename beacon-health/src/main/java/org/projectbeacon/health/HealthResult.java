package org.projectbeacon.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.resilience.BreakerSnapshot;

/**
 * What one run of a check found.
 *
 * @param status the check's status
 * @param error a short, secret-free description of what is wrong, or {@code null}
 * @param details extra facts for humans (values should be strings, numbers or booleans)
 * @param breaker the circuit breaker behind the service, or {@code null} when it has none
 */
public record HealthResult(HealthStatus status, String error, Map<String, Object> details, BreakerSnapshot breaker) {

    /** Validates and copies the fields. */
    public HealthResult {
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** UP with no details. */
    public static HealthResult up() {
        return new HealthResult(HealthStatus.UP, null, Map.of(), null);
    }

    /** UP with details. */
    public static HealthResult up(Map<String, Object> details) {
        return new HealthResult(HealthStatus.UP, null, details, null);
    }

    /** DEGRADED with a reason. */
    public static HealthResult degraded(String reason) {
        return new HealthResult(HealthStatus.DEGRADED, reason, Map.of(), null);
    }

    /** DOWN with an error. */
    public static HealthResult down(String error) {
        return new HealthResult(HealthStatus.DOWN, error, Map.of(), null);
    }

    /** DOWN describing {@code failure} by its type and message. */
    public static HealthResult down(Throwable failure) {
        String message = failure.getMessage();
        return down(failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    /** This result with {@code details} added. */
    public HealthResult withDetails(Map<String, Object> more) {
        Map<String, Object> merged = new LinkedHashMap<>(details);
        merged.putAll(more);
        return new HealthResult(status, error, merged, breaker);
    }

    /** This result carrying the breaker's snapshot. */
    public HealthResult withBreaker(BreakerSnapshot snapshot) {
        return new HealthResult(status, error, details, snapshot);
    }
}
