package org.projectbeacon.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Objects;

/**
 * The audit record of one breaker admin operation.
 *
 * @param operation what was done
 * @param target the guard it was done to
 * @param actor who asked for it, as the caller identified them (never a credential)
 * @param at when, by the registry's clock
 * @param resultingState the breaker's state afterwards
 */
public record AdminAuditEvent(AdminOperation operation, String target, String actor, Instant at, CircuitBreaker.State resultingState) {

    /** Checks that the fields are present. */
    public AdminAuditEvent {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(resultingState, "resultingState");
    }
}
