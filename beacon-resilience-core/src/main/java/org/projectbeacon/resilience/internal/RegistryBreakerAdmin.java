package org.projectbeacon.resilience.internal;

import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.BREAKER_ADMIN_OPERATIONS;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_OPERATION;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.projectbeacon.resilience.AdminAuditEvent;
import org.projectbeacon.resilience.AdminOperation;
import org.projectbeacon.resilience.BreakerAdmin;
import org.projectbeacon.resilience.BreakerSnapshot;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.Subscription;
import org.projectbeacon.resilience.UnknownGuardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Breaker admin over one {@link InMemoryGuardRegistry}; timed force-opens end on its scheduler. */
final class RegistryBreakerAdmin implements BreakerAdmin {

    private static final Logger LOG = LoggerFactory.getLogger("org.projectbeacon.resilience.CircuitBreakers");

    private final Function<String, Guard> guards;
    private final Supplier<List<Guard>> allGuards;
    private final Function<String, Instant> since;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry meters;
    private final List<Consumer<AdminAuditEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ForcedOpen> forced = new ConcurrentHashMap<>();

    private record ForcedOpen(Instant until, ScheduledFuture<?> expiry) {}

    RegistryBreakerAdmin(
            Function<String, Guard> guards,
            Supplier<List<Guard>> allGuards,
            Function<String, Instant> since,
            Clock clock,
            ScheduledExecutorService scheduler,
            MeterRegistry meters) {
        this.guards = guards;
        this.allGuards = allGuards;
        this.since = since;
        this.clock = clock;
        this.scheduler = scheduler;
        this.meters = meters;
    }

    /**
     * Registers one counter per operation, at zero, so {@code increase()} works before the first
     * operation. Called when the registry's metrics are bound rather than at construction, so no
     * meter predates the registry it is sent to.
     */
    void registerCounters() {
        for (AdminOperation operation : AdminOperation.values()) {
            counter(operation);
        }
    }

    private Counter counter(AdminOperation operation) {
        return Counter.builder(BREAKER_ADMIN_OPERATIONS)
                .description("Circuit breaker admin operations")
                .tag(TAG_OPERATION, operation.slug())
                .register(meters);
    }

    @Override
    public List<BreakerSnapshot> snapshots() {
        List<BreakerSnapshot> snapshots = new ArrayList<>();
        for (Guard guard : allGuards()) {
            snapshots.add(snapshotOf(guard));
        }
        return snapshots;
    }

    private List<Guard> allGuards() {
        return allGuards.get();
    }

    @Override
    public BreakerSnapshot snapshot(String name) {
        return snapshotOf(require(name));
    }

    BreakerSnapshot snapshotOf(Guard guard) {
        observeState(guard);
        CircuitBreaker.Metrics metrics = guard.circuitBreaker().getMetrics();
        float failureRate = metrics.getFailureRate();
        float slowCallRate = metrics.getSlowCallRate();
        ForcedOpen forcedOpen = forced.get(guard.name());
        return new BreakerSnapshot(
                guard.name(),
                guard.circuitBreaker().getState(),
                failureRate < 0 ? null : failureRate,
                slowCallRate < 0 ? null : slowCallRate,
                metrics.getNumberOfBufferedCalls(),
                metrics.getNumberOfFailedCalls(),
                metrics.getNumberOfSlowCalls(),
                metrics.getNumberOfNotPermittedCalls(),
                since.apply(guard.name()),
                forcedOpen == null ? null : forcedOpen.until());
    }

    @Override
    public BreakerSnapshot reset(String name, String actor) {
        return perform(AdminOperation.RESET, require(name), actor, breaker -> {
            // Leave the current state through a transition so resilience4j cancels an open state's
            // pending move to half-open; reset() alone keeps that timer and clears only the window.
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                breaker.transitionToClosedState();
            }
            breaker.reset();
        });
    }

    @Override
    public List<BreakerSnapshot> resetAll(String actor) {
        List<BreakerSnapshot> snapshots = new ArrayList<>();
        for (Guard guard : allGuards()) {
            snapshots.add(reset(guard.name(), actor));
        }
        return snapshots;
    }

    @Override
    public BreakerSnapshot close(String name, String actor) {
        return perform(AdminOperation.CLOSE, require(name), actor, breaker -> {
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                breaker.transitionToClosedState();
            }
        });
    }

    @Override
    public BreakerSnapshot forceOpen(String name, Duration duration, String actor) {
        if (duration == null || duration.isZero() || duration.isNegative() || duration.compareTo(MAX_FORCE_OPEN) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most " + MAX_FORCE_OPEN + " but was " + duration);
        }
        Guard guard = require(name);
        Instant until = clock.instant().plus(duration);
        return perform(AdminOperation.FORCE_OPEN, guard, actor, breaker -> {
            if (breaker.getState() != CircuitBreaker.State.FORCED_OPEN) {
                breaker.transitionToForcedOpenState();
            }
            ScheduledFuture<?> expiry = scheduler.schedule(
                    () -> expire(name, until), duration.toMillis(), TimeUnit.MILLISECONDS);
            forced.put(name, new ForcedOpen(until, expiry));
        });
    }

    @Override
    public BreakerSnapshot disable(String name, String actor) {
        return perform(AdminOperation.DISABLE, require(name), actor, breaker -> {
            if (breaker.getState() != CircuitBreaker.State.DISABLED) {
                breaker.transitionToDisabledState();
            }
        });
    }

    @Override
    public BreakerSnapshot metricsOnly(String name, String actor) {
        return perform(AdminOperation.METRICS_ONLY, require(name), actor, breaker -> {
            if (breaker.getState() != CircuitBreaker.State.METRICS_ONLY) {
                breaker.transitionToMetricsOnlyState();
            }
        });
    }

    @Override
    public Subscription onAudit(Consumer<AdminAuditEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Ends a timed force-open, unless another operation replaced it or the clock says it is early. */
    void expire(String name, Instant until) {
        synchronized (this) {
            ForcedOpen current = forced.get(name);
            if (current == null || !current.until().equals(until)) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(until)) {
                ScheduledFuture<?> expiry = scheduler.schedule(() -> expire(name, until),
                        Math.max(1, Duration.between(now, until).toMillis()), TimeUnit.MILLISECONDS);
                forced.put(name, new ForcedOpen(until, expiry));
                return;
            }
            forced.remove(name);
            Guard guard = guards.apply(name);
            if (guard != null && guard.circuitBreaker().getState() == CircuitBreaker.State.FORCED_OPEN) {
                LOG.info("circuit breaker {} force-open expired at {}", name, until);
                guard.circuitBreaker().transitionToClosedState();
                observeState(guard);
            }
        }
    }

    /** Cancels every pending force-open expiry; the breakers keep their state. */
    void cancelAll() {
        forced.values().forEach(f -> f.expiry().cancel(false));
        forced.clear();
    }

    private synchronized BreakerSnapshot perform(
            AdminOperation operation, Guard guard, String actor, Consumer<CircuitBreaker> change) {
        String who = actor == null || actor.isBlank() ? "unknown" : actor;
        ForcedOpen previous = forced.remove(guard.name());
        if (previous != null) {
            previous.expiry().cancel(false);
        }
        change.accept(guard.circuitBreaker());
        observeState(guard);
        counter(operation).increment();
        AdminAuditEvent event = new AdminAuditEvent(
                operation, guard.name(), who, clock.instant(), guard.circuitBreaker().getState());
        LOG.info("circuit breaker admin: {} {} by {}, now {}", operation.slug(), guard.name(), who, event.resultingState());
        for (Consumer<AdminAuditEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("circuit breaker admin: audit listener failed for {} {}: {}",
                        operation.slug(), guard.name(), e.toString());
            }
        }
        return snapshotOf(guard);
    }

    /**
     * Reports a state change the guard has not reported yet, before the admin's own log line and
     * before a snapshot reads its "since": the guard sees transitions around its calls, and these
     * happen outside them.
     */
    private static void observeState(Guard guard) {
        if (guard instanceof ComposedGuard composed) {
            composed.observeState();
        }
    }

    private Guard require(String name) {
        Guard guard = name == null ? null : guards.apply(name);
        if (guard == null) {
            throw new UnknownGuardException(name);
        }
        return guard;
    }
}
