package org.projectbeacon.resilience;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operations on-call uses on circuit breakers: look at every breaker, reset one or all, force
 * one open for a while, disable, switch to metrics-only, or close.
 *
 * <p>Every operation that changes a breaker emits an {@link AdminAuditEvent} to the subscribed
 * listeners, writes one log line starting with {@code circuit breaker admin:}, and increments the
 * {@code beacon.breaker.admin.operations} counter tagged with the operation. Operations return the
 * breaker's snapshot afterwards. A name that matches no guard throws {@link UnknownGuardException}
 * and changes nothing.
 *
 * <p>Obtained from {@link GuardRegistry#admin()}; thread-safe.
 */
public interface BreakerAdmin {

    /**
     * The longest force-open, 7 days: a breaker held open longer is an outage nobody remembers
     * starting; disable the dependency in configuration instead.
     */
    Duration MAX_FORCE_OPEN = Duration.ofDays(7);

    /** Snapshots of every breaker, sorted by name. */
    List<BreakerSnapshot> snapshots();

    /** The snapshot of one breaker. @throws UnknownGuardException for an unknown name */
    BreakerSnapshot snapshot(String name);

    /** Clears the breaker's window and closes it; cancels a timed force-open. */
    BreakerSnapshot reset(String name, String actor);

    /** Resets every breaker; returns their snapshots afterwards, sorted by name. */
    List<BreakerSnapshot> resetAll(String actor);

    /** Closes the breaker, keeping its window; cancels a timed force-open. */
    BreakerSnapshot close(String name, String actor);

    /**
     * Forces the breaker open for {@code duration}, after which it closes by itself unless another
     * operation changed it meanwhile.
     *
     * @throws IllegalArgumentException when {@code duration} is not positive or longer than
     *     {@link #MAX_FORCE_OPEN}, naming it
     */
    BreakerSnapshot forceOpen(String name, Duration duration, String actor);

    /** Disables the breaker: every call passes and nothing is recorded; cancels a timed force-open. */
    BreakerSnapshot disable(String name, String actor);

    /** Lets every call pass while still recording outcomes; cancels a timed force-open. */
    BreakerSnapshot metricsOnly(String name, String actor);

    /** Delivers every later audit event to {@code listener}, on the thread performing the operation. */
    Subscription onAudit(Consumer<AdminAuditEvent> listener);
}
