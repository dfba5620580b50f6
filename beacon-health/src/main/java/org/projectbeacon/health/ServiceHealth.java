package org.projectbeacon.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.resilience.BreakerSnapshot;

/**
 * The reported health of one service (one registered check), after flap damping.
 *
 * @param name the check's name
 * @param status the reported status
 * @param critical whether DOWN takes the whole service DOWN
 * @param latency how long the last run took, or {@code null} before the first run
 * @param error the last run's error, or {@code null}
 * @param breaker the service's breaker snapshot, or {@code null}
 * @param details extra facts from the last run
 * @param checkedAt when the last run ended, or {@code null} before the first run
 */
public record ServiceHealth(
        String name,
        HealthStatus status,
        boolean critical,
        Duration latency,
        String error,
        BreakerSnapshot breaker,
        Map<String, Object> details,
        Instant checkedAt) {

    /** Validates the fields. */
    public ServiceHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : details;
    }
}
