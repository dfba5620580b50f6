/**
 * The operator console: {@link org.projectbeacon.health.console.ConsoleRoutes} (the page at
 * {@code /console/}, {@code /health/breakers} and {@code /health/history}) and
 * {@link org.projectbeacon.health.console.HealthHistory} (the ring buffer of health snapshots behind
 * the backlog charts). The page's static files live in this jar under
 * {@code org/projectbeacon/health/console/assets/}; the admin actions it offers are the existing admin
 * routes, audited by {@link org.projectbeacon.health.http.BeaconEndpoints}.
 */
package org.projectbeacon.health.console;
