package org.projectbeacon.resilience.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sees a guard's breaker change state without subscribing to resilience4j's events.
 *
 * <p>Why: resilience4j builds an event object (with its own timestamp and duration) for every
 * successful or failed call as soon as <em>any</em> consumer is registered on a breaker, a
 * state-transition-only consumer included ({@code EventProcessor.hasConsumers()} is one flag for
 * all event types). That was two thirds of a guarded call's cost. Instead the guard calls
 * {@link #check()} around each call: one volatile read and a state comparison, nothing allocated;
 * only when the state differs from the last one seen does it take a lock and report the transition.
 *
 * <p>Transitions nobody calls through the guard for are caught too: the admin checks after each
 * operation and before each snapshot, and with the automatic transition enabled the detector moves
 * an OPEN breaker to HALF_OPEN itself, on the registry's scheduler, once its wait has passed (so the
 * timer-driven transition is logged the moment it happens, and a test's manual scheduler drives
 * it). resilience4j's own timer stays configured as a fallback; whichever runs first wins and the
 * other finds the breaker no longer OPEN.
 *
 * <p>Limit: two transitions made outside the guard between two checks (say by code holding
 * {@code guard.circuitBreaker()} directly) are reported as one, from the first state to the last.
 *
 * <p>Thread-safe: {@link #check()} is called concurrently by every caller; reports are serialised,
 * in the order the detector saw the states.
 */
final class TransitionDetector {

    /** Told of each transition, under the detector's lock (so in order), on the thread that saw it. */
    @FunctionalInterface
    interface Listener {
        void transitioned(String name, CircuitBreaker.State from, CircuitBreaker.State to);
    }

    private final String name;
    private final CircuitBreaker breaker;
    private final boolean automaticHalfOpen;
    private final Duration openWait;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private volatile CircuitBreaker.State observed;
    /** Counts the times the breaker was seen to open, so a stale half-open timer does nothing. */
    private long openings;

    TransitionDetector(String name, CircuitBreaker breaker, boolean automaticHalfOpen, Duration openWait,
            ScheduledExecutorService scheduler, Listener listener) {
        this.name = name;
        this.breaker = breaker;
        this.automaticHalfOpen = automaticHalfOpen;
        this.openWait = openWait;
        this.scheduler = scheduler;
        this.listener = listener;
        this.observed = breaker.getState();
    }

    /** Reports the breaker's state if it changed since the last check; allocation-free when it did not. */
    void check() {
        if (breaker.getState() != observed) {
            record();
        }
    }

    private synchronized void record() {
        CircuitBreaker.State from = observed;
        CircuitBreaker.State to = breaker.getState();
        if (to == from) {
            return; // another thread reported it first
        }
        observed = to;
        if (to == CircuitBreaker.State.OPEN && automaticHalfOpen) {
            scheduleHalfOpen(++openings);
        }
        listener.transitioned(name, from, to);
    }

    private void scheduleHalfOpen(long opening) {
        try {
            scheduler.schedule(() -> halfOpenIfStillOpen(opening), openWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The registry is closing: resilience4j's own timer still moves the breaker, and the
            // next check reports it.
        }
    }

    private void halfOpenIfStillOpen(long opening) {
        check();
        synchronized (this) {
            if (opening != openings || observed != CircuitBreaker.State.OPEN) {
                return; // this opening already ended, or a later one has its own timer
            }
        }
        try {
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                breaker.transitionToHalfOpenState();
            }
        } catch (IllegalStateTransitionException e) {
            // A concurrent transition (resilience4j's timer, a caller, the admin) got there first.
        }
        check();
    }
}
