package org.projectbeacon.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a guard in a {@link GuardRegistry}: it was added or removed, or its
 * breaker changed state.
 *
 * @param type what happened
 * @param guardName the guard
 * @param fromState the breaker's state before a transition, or {@code null} for lifecycle events
 * @param toState the breaker's state after a transition, or {@code null} for lifecycle events
 * @param at when it happened, by the registry's clock
 */
public record GuardEvent(Type type, String guardName, CircuitBreaker.State fromState, CircuitBreaker.State toState, Instant at) {

    /** The kinds of guard events. */
    public enum Type {
        /** The guard was created. */
        ADDED,
        /** The guard was removed. */
        REMOVED,
        /** The guard's breaker changed state. */
        STATE_TRANSITION
    }

    /** Checks that the required fields are present. */
    public GuardEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(guardName, "guardName");
        Objects.requireNonNull(at, "at");
    }
}
