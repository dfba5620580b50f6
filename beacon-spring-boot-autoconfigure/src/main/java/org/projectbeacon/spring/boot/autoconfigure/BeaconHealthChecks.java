package org.projectbeacon.spring.boot.autoconfigure;

import java.util.List;

/**
 * Several {@link BeaconHealthCheck}s declared as one bean, for sets known only at start-up (one per
 * guard).
 *
 * @param checks the checks, in report order
 */
public record BeaconHealthChecks(List<BeaconHealthCheck> checks) {

    /** Copies the list. */
    public BeaconHealthChecks {
        checks = List.copyOf(checks);
    }
}
