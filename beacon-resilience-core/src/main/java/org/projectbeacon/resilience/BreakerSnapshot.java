package org.projectbeacon.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Objects;

/**
 * The state and counters of one guard's circuit breaker at one moment.
 *
 * @param name the guard's name
 * @param state the breaker's state
 * @param failureRate failure rate in percent, or {@code null} while fewer calls than the minimum
 *     were recorded (resilience4j reports -1 there)
 * @param slowCallRate slow-call rate in percent, or {@code null} below the minimum number of calls
 * @param bufferedCalls calls in the sliding window
 * @param failedCalls failed calls in the sliding window
 * @param slowCalls slow calls in the sliding window
 * @param notPermittedCalls calls rejected since the breaker's last reset
 * @param since when the breaker entered its current state
 * @param forcedOpenUntil when a timed force-open ends by itself, or {@code null}
 */
public record BreakerSnapshot(
        String name,
        CircuitBreaker.State state,
        Float failureRate,
        Float slowCallRate,
        int bufferedCalls,
        int failedCalls,
        int slowCalls,
        long notPermittedCalls,
        Instant since,
        Instant forcedOpenUntil) {

    /** Checks that the required fields are present. */
    public BreakerSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}
