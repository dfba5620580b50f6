package org.projectbeacon.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.projectbeacon.resilience.internal.InMemoryGuardRegistry;

/**
 * Creates, finds and lists the {@link Guard}s and {@link RegionFallback}s of one service, and owns
 * what they share: the clock, the scheduler, the executor for timed synchronous calls, the
 * settings, the breaker admin and the metrics.
 *
 * <p>Every breaker state transition is published as a {@link GuardEvent} and logged through SLF4J
 * (logger {@code org.projectbeacon.resilience.CircuitBreakers}) in one line of the form
 * {@code circuit breaker golem-lhr changed state from CLOSED to OPEN}, at WARN when a breaker
 * opens and INFO otherwise, so {@code grep "circuit.*breaker"} finds it.
 *
 * <p>Thread-safe. {@link #close()} shuts down the executors the registry created itself; executors
 * passed to the builder stay the caller's.
 */
public interface GuardRegistry extends AutoCloseable {

    /** A builder with the system clock, the default settings and executors of the registry's own. */
    static Builder builder() {
        return new Builder();
    }

    /** A registry with every default. */
    static GuardRegistry ofDefaults() {
        return builder().build();
    }

    /** The guard called {@code name}, created from the settings if it does not exist yet. */
    Guard guard(String name);

    /**
     * The guard called {@code name}, created with {@code config} if it does not exist yet.
     *
     * @throws IllegalStateException when a guard of that name exists with another configuration
     */
    Guard guard(String name, GuardConfig config);

    /** The guard called {@code name}, if it exists. */
    Optional<Guard> find(String name);

    /** Every guard, sorted by name. */
    List<Guard> guards();

    /** Removes the guard called {@code name} and its meters; returns whether it existed. */
    boolean remove(String name);

    /**
     * The region fallback of {@code dependency} configured by {@code beacon.regions.<dependency>},
     * created if it does not exist yet.
     *
     * @throws IllegalArgumentException when the settings name no regions for it
     */
    RegionFallback regionFallback(String dependency);

    /**
     * The region fallback described by {@code config}, created with one guard per region if it does
     * not exist yet.
     *
     * @throws IllegalStateException when a fallback of that dependency exists with other regions
     */
    RegionFallback regionFallback(RegionFallbackConfig config);

    /** The region fallback of {@code dependency}, if it exists. */
    Optional<RegionFallback> findRegionFallback(String dependency);

    /** Every region fallback, sorted by dependency. */
    List<RegionFallback> regionFallbacks();

    /** The breaker admin operations over this registry's guards. */
    BreakerAdmin admin();

    /**
     * A binder registering, for every guard present and future: resilience4j's tagged circuit
     * breaker, retry, time limiter and bulkhead meters, and Beacon's region fallback and admin
     * operation counters. The names are those of {@link org.projectbeacon.resilience.metrics.CoreMetricCatalog}.
     */
    MeterBinder metrics();

    /** Delivers every later guard event to {@code listener}, on the thread where it happened. */
    Subscription onEvent(Consumer<GuardEvent> listener);

    /** The clock of every time the registry and its guards read. */
    Clock clock();

    /** The settings guards are created from. */
    GuardSettings settings();

    /** The resilience4j registry of the guards' breakers, for integrations that bind to it. */
    CircuitBreakerRegistry circuitBreakerRegistry();

    /** The resilience4j registry of the guards' retries. */
    RetryRegistry retryRegistry();

    /** The resilience4j registry of the guards' time limiters. */
    TimeLimiterRegistry timeLimiterRegistry();

    /** The resilience4j registry of the guards' bulkheads. */
    BulkheadRegistry bulkheadRegistry();

    /** Cancels timed force-opens and shuts down the executors this registry created. */
    @Override
    void close();

    /** Builds a {@link GuardRegistry}. Not thread-safe. */
    final class Builder {
        private Clock clock = Clock.systemUTC();
        private GuardSettings settings = GuardSettings.empty();
        private ScheduledExecutorService scheduler;
        private ExecutorService callExecutor;
        private CircuitBreakerRegistry circuitBreakerRegistry;

        private Builder() {}

        /** The clock breakers, snapshots and audit events read; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The settings guards are created from; default {@link GuardSettings#empty()}. */
        public Builder settings(GuardSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The scheduler for waits between asynchronous retries, asynchronous timeouts and the end of
         * timed force-opens; default one daemon thread owned by the registry.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The executor timed synchronous attempts run on while the caller waits; default a cached
         * pool of daemon threads owned by the registry.
         */
        public Builder callExecutor(ExecutorService callExecutor) {
            this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
            return this;
        }

        /**
         * An existing resilience4j registry to keep the guards' breakers in, such as the one an
         * application framework configures; default a registry of the guard registry's own. A breaker
         * the registry already holds under a guard's name becomes that guard's breaker, with the
         * registry's configuration, so framework-driven calls (annotations) and the guard share one
         * breaker whichever side creates it first. The caller keeps ownership: {@link #close()}
         * neither clears nor removes anything from it.
         */
        public Builder circuitBreakerRegistry(CircuitBreakerRegistry circuitBreakerRegistry) {
            this.circuitBreakerRegistry = Objects.requireNonNull(circuitBreakerRegistry, "circuitBreakerRegistry");
            return this;
        }

        /** Builds the registry. */
        public GuardRegistry build() {
            return new InMemoryGuardRegistry(clock, settings, scheduler, callExecutor,
                    circuitBreakerRegistry == null ? CircuitBreakerRegistry.ofDefaults() : circuitBreakerRegistry);
        }
    }
}
