package org.projectbeacon.spring.boot.autoconfigure;

import java.util.List;
import org.projectbeacon.health.http.Route;

/**
 * Extra routes for the runbook's HTTP paths, declared as a bean: every bean of this type is added to
 * the {@link org.projectbeacon.health.http.BeaconEndpoints} served by the application (the outbox's
 * dead letter and publisher routes come this way; applications may add theirs). Admin routes keep the
 * bearer-token check.
 *
 * @param routes the routes
 */
public record BeaconRoutes(List<Route> routes) {

    /** Copies the list. */
    public BeaconRoutes {
        routes = List.copyOf(routes);
    }
}
