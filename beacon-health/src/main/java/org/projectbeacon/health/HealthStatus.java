package org.projectbeacon.health;

/**
 * The status of one check or of the whole service.
 *
 * <p>Unlike Spring Boot Actuator, which drops statuses it does not know, Beacon has a first-class
 * {@link #DEGRADED}: a service that still serves, with reduced capacity, stays in the load balancer.
 */
public enum HealthStatus {
    /** Working. HTTP 200. */
    UP,
    /** Working with reduced capacity (a non-critical dependency down, a fallback region in use). HTTP 200. */
    DEGRADED,
    /** Not working: a critical dependency is down. HTTP 503. */
    DOWN,
    /** No result yet (before a check's first run). HTTP 503 while a critical check is unknown. */
    UNKNOWN;

    /** The HTTP status a readiness probe answers for this status. */
    public int httpStatus() {
        return this == UP || this == DEGRADED ? 200 : 503;
    }
}
