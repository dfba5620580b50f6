package org.projectbeacon.spring.boot.autoconfigure;

import java.util.Objects;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.spi.HealthCheck;

/**
 * A health check for Beacon's aggregator, declared as a bean: the auto-configuration collects every
 * bean of this type into the one {@link org.projectbeacon.health.HealthAggregator} behind
 * {@code /health/ready} and the Actuator {@code beacon} health contributor. Applications add their
 * own checks the same way.
 *
 * @param name the service name in {@code /health/ready} and in Actuator's {@code components.beacon}
 * @param check the check
 * @param options interval, timeout, criticality and flap damping
 */
public record BeaconHealthCheck(String name, HealthCheck check, CheckOptions options) {

    /** Validates the fields. */
    public BeaconHealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(options, "options");
    }
}
