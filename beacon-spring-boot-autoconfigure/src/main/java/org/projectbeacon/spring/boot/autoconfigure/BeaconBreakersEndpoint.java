package org.projectbeacon.spring.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.health.internal.HealthJson;
import org.projectbeacon.resilience.BreakerAdmin;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code beaconbreakers}: the breakers as the admin API lists them
 * ({@code GET /api/v1/admin/circuit-breakers}) and the runbook's reset of every breaker
 * ({@code POST /api/v1/admin/circuit-breakers/reset}), audited with actor {@code actuator}.
 * Over HTTP it requires the admin bearer token. Thread-safe.
 */
@Endpoint(id = BeaconBreakersEndpoint.ID)
public class BeaconBreakersEndpoint {

    /** The endpoint id. */
    public static final String ID = "beaconbreakers";
    /** The actor recorded in audit events of operations through this endpoint. */
    public static final String ACTOR = "actuator";

    private final BreakerAdmin admin;

    /**
     * An endpoint over {@code admin}.
     *
     * @param admin the breaker admin operations
     */
    public BeaconBreakersEndpoint(BreakerAdmin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /** @return every breaker, as {@code {"circuit_breakers": [...]}} */
    @ReadOperation
    public Map<String, Object> breakers() {
        return Map.of("circuit_breakers", named(admin.snapshots()));
    }

    /** @return every breaker after a reset to CLOSED with empty statistics */
    @WriteOperation
    public Map<String, Object> reset() {
        return Map.of("circuit_breakers", named(admin.resetAll(ACTOR)));
    }

    private static List<Map<String, Object>> named(List<org.projectbeacon.resilience.BreakerSnapshot> snapshots) {
        return snapshots.stream().map(HealthJson::namedBreaker).toList();
    }
}
