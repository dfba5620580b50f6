package org.projectbeacon.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest health of every service and the rolled-up status.
 *
 * <p>Roll-up: any critical service DOWN → DOWN; else any critical service UNKNOWN → UNKNOWN; else
 * any non-critical service DOWN or any service DEGRADED → DEGRADED; else UP.
 *
 * @param status the rolled-up status
 * @param checkedAt when the newest result in the report arrived (when the report was made, if none has)
 * @param services one entry per check, in registration order
 */
public record HealthReport(HealthStatus status, Instant checkedAt, List<ServiceHealth> services) {

    /** Validates and copies the fields. */
    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        services = List.copyOf(services);
    }

    /** Rolls up {@code services}; see the type's documentation. */
    public static HealthStatus rollUp(List<ServiceHealth> services) {
        boolean unknown = false;
        boolean degraded = false;
        for (ServiceHealth service : services) {
            switch (service.status()) {
                case DOWN -> {
                    if (service.critical()) {
                        return HealthStatus.DOWN;
                    }
                    degraded = true;
                }
                case UNKNOWN -> unknown |= service.critical();
                case DEGRADED -> degraded = true;
                case UP -> { }
            }
        }
        if (unknown) {
            return HealthStatus.UNKNOWN;
        }
        return degraded ? HealthStatus.DEGRADED : HealthStatus.UP;
    }

    /** How old the report's newest result is at {@code now}. */
    public Duration age(Instant now) {
        Duration age = Duration.between(checkedAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
