package org.projectbeacon.resilience.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.projectbeacon.resilience.BreakerAdmin;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardEvent;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.GuardSettings;
import org.projectbeacon.resilience.Names;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.RegionFallbackConfig;
import org.projectbeacon.resilience.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GuardRegistry} built by {@link GuardRegistry#builder()}: guards in a concurrent map,
 * their resilience4j parts in resilience4j's own registries so its metrics follow new guards.
 */
public final class InMemoryGuardRegistry implements GuardRegistry {

    private static final Logger TRANSITIONS = LoggerFactory.getLogger("org.projectbeacon.resilience.CircuitBreakers");

    private final Clock clock;
    private final GuardSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callExecutor;
    private final boolean ownsScheduler;
    private final boolean ownsCallExecutor;
    private final CircuitBreakerRegistry circuitBreakers;
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final Map<String, ComposedGuard> guards = new ConcurrentHashMap<>();
    private final Map<String, OrderedRegionFallback> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final List<Consumer<GuardEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final RegistryBreakerAdmin admin;

    /** Use {@link GuardRegistry#builder()}; null executors make the registry create and own its own. */
    public InMemoryGuardRegistry(
            Clock clock, GuardSettings settings, ScheduledExecutorService scheduler, ExecutorService callExecutor) {
        this(clock, settings, scheduler, callExecutor, CircuitBreakerRegistry.ofDefaults());
    }

    /** As the four-argument constructor, keeping the breakers in {@code circuitBreakers} (the caller's). */
    public InMemoryGuardRegistry(Clock clock, GuardSettings settings, ScheduledExecutorService scheduler,
            ExecutorService callExecutor, CircuitBreakerRegistry circuitBreakers) {
        this.circuitBreakers = Objects.requireNonNull(circuitBreakers, "circuitBreakers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsScheduler = scheduler == null;
        this.scheduler = ownsScheduler
                ? Executors.newSingleThreadScheduledExecutor(new DaemonThreads("beacon-guard-scheduler"))
                : scheduler;
        this.ownsCallExecutor = callExecutor == null;
        this.callExecutor = ownsCallExecutor
                ? Executors.newCachedThreadPool(new DaemonThreads("beacon-guard-call"))
                : callExecutor;
        this.admin = new RegistryBreakerAdmin(
                guards::get, () -> List.copyOf(guards()), this::since, clock, this.scheduler, meters);
    }

    @Override
    public Guard guard(String name) {
        Guard existing = guards.get(name);
        return existing != null ? existing : guard(name, settings.configFor(Names.requireName("name", name)), false);
    }

    @Override
    public Guard guard(String name, GuardConfig config) {
        return guard(name, config, true);
    }

    private Guard guard(String name, GuardConfig config, boolean strict) {
        Names.requireName("name", name);
        Objects.requireNonNull(config, "config");
        boolean[] created = {false};
        ComposedGuard guard = guards.computeIfAbsent(name, n -> {
            created[0] = true;
            return create(n, config);
        });
        if (created[0]) {
            publish(new GuardEvent(GuardEvent.Type.ADDED, name, null, null, clock.instant()));
        } else if (strict && guard.config() != config) {
            throw new IllegalStateException("guard " + name + " already exists with another configuration: "
                    + guard.config());
        }
        return guard;
    }

    private ComposedGuard create(String name, GuardConfig config) {
        CircuitBreaker breaker = circuitBreakers.circuitBreaker(name, breakerConfig(config));
        since.put(name, clock.instant());
        // No resilience4j event consumer: with one registered, resilience4j builds an event object
        // for every call. The guard's TransitionDetector reports transitions instead.
        Retry retry = config.retryMaxAttempts() == 1 ? null : retries.retry(name, retryConfig(config));
        TimeLimiter timeLimiter = config.timeout()
                .map(timeout -> timeLimiters.timeLimiter(name, TimeLimiterConfig.custom()
                        .timeoutDuration(timeout)
                        .cancelRunningFuture(true)
                        .build()))
                .orElse(null);
        Bulkhead bulkhead = config.bulkheadMaxConcurrentCalls()
                .map(max -> bulkheads.bulkhead(name, BulkheadConfig.custom()
                        .maxConcurrentCalls(max)
                        .maxWaitDuration(config.bulkheadMaxWait())
                        .build()))
                .orElse(null);
        return new ComposedGuard(
                name, config, breaker, retry, timeLimiter, bulkhead, scheduler, callExecutor, this::transitioned);
    }

    private CircuitBreakerConfig breakerConfig(GuardConfig config) {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
                .slidingWindow(config.slidingWindowSize(), config.minimumNumberOfCalls(), config.slidingWindowType())
                .failureRateThreshold(config.failureRateThreshold())
                .slowCallRateThreshold(config.slowCallRateThreshold())
                .slowCallDurationThreshold(config.slowCallDurationThreshold())
                .permittedNumberOfCallsInHalfOpenState(config.permittedCallsInHalfOpenState())
                .maxWaitDurationInHalfOpenState(config.maxWaitInHalfOpenState())
                .waitDurationInOpenState(config.waitDurationInOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(config.automaticTransitionToHalfOpen())
                .recordException(Throwables.onUnwrapped(config.recordFailure()))
                // Breakers read the registry's clock for their open wait and for call durations, so
                // an injected clock decides both; milliseconds are ample for slow-call thresholds.
                .clock(clock)
                .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS);
        return builder.build();
    }

    private static RetryConfig retryConfig(GuardConfig config) {
        return RetryConfig.custom()
                .maxAttempts(config.retryMaxAttempts())
                .intervalFunction(new JitteredBackoff(config.retryInitialInterval(), config.retryMultiplier(),
                        config.retryRandomizationFactor(), config.retryMaxInterval()))
                .retryOnException(Throwables.onUnwrapped(config.retryOn()))
                .build();
    }

    private void transitioned(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
        Instant now = clock.instant();
        since.put(name, now);
        if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
            TRANSITIONS.warn("circuit breaker {} changed state from {} to {}", name, from, to);
        } else {
            TRANSITIONS.info("circuit breaker {} changed state from {} to {}", name, from, to);
        }
        publish(new GuardEvent(GuardEvent.Type.STATE_TRANSITION, name, from, to, now));
    }

    private void publish(GuardEvent event) {
        for (Consumer<GuardEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                TRANSITIONS.warn("guard event listener failed for {} {}: {}", event.type(), event.guardName(), e.toString());
            }
        }
    }

    private Instant since(String name) {
        return since.getOrDefault(name, clock.instant());
    }

    @Override
    public Optional<Guard> find(String name) {
        return Optional.ofNullable(guards.get(name));
    }

    @Override
    public List<Guard> guards() {
        return guards.values().stream()
                .sorted(Comparator.comparing(Guard::name))
                .map(Guard.class::cast)
                .toList();
    }

    @Override
    public boolean remove(String name) {
        for (OrderedRegionFallback fallback : fallbacks.values()) {
            if (fallback.regions().stream().map(fallback.config()::guardName).anyMatch(name::equals)) {
                throw new IllegalStateException("guard " + name + " belongs to the region fallback of "
                        + fallback.dependency() + " and cannot be removed on its own");
            }
        }
        ComposedGuard removed = guards.remove(name);
        if (removed == null) {
            return false;
        }
        circuitBreakers.remove(name);
        retries.remove(name);
        timeLimiters.remove(name);
        bulkheads.remove(name);
        since.remove(name);
        publish(new GuardEvent(GuardEvent.Type.REMOVED, name, null, null, clock.instant()));
        return true;
    }

    @Override
    public RegionFallback regionFallback(String dependency) {
        Names.requireName("dependency", dependency);
        OrderedRegionFallback existing = fallbacks.get(dependency);
        if (existing != null) {
            return existing;
        }
        List<String> regions = settings.regions(dependency).orElseThrow(() -> new IllegalArgumentException(
                "no regions configured for dependency '" + dependency + "': set "
                        + GuardSettings.REGIONS_PREFIX + dependency + "=<region>,<region>,..."));
        return regionFallback(RegionFallbackConfig.builder(dependency).regions(regions).build());
    }

    @Override
    public RegionFallback regionFallback(RegionFallbackConfig config) {
        Objects.requireNonNull(config, "config");
        OrderedRegionFallback fallback = fallbacks.computeIfAbsent(config.dependency(), dependency -> {
            Map<String, Guard> regionGuards = new LinkedHashMap<>();
            for (String region : config.regions()) {
                String guardName = config.guardName(region);
                regionGuards.put(region, guard(guardName, settings.configFor(guardName, dependency), false));
            }
            return new OrderedRegionFallback(config, regionGuards, meters);
        });
        if (!fallback.regions().equals(config.regions())) {
            throw new IllegalStateException("region fallback of " + config.dependency()
                    + " already exists with regions " + fallback.regions() + ", not " + config.regions());
        }
        return fallback;
    }

    @Override
    public Optional<RegionFallback> findRegionFallback(String dependency) {
        return Optional.ofNullable(fallbacks.get(dependency));
    }

    @Override
    public List<RegionFallback> regionFallbacks() {
        return fallbacks.values().stream()
                .sorted(Comparator.comparing(RegionFallback::dependency))
                .map(RegionFallback.class::cast)
                .toList();
    }

    @Override
    public BreakerAdmin admin() {
        return admin;
    }

    @Override
    public MeterBinder metrics() {
        return registry -> {
            meters.add(registry);
            admin.registerCounters();
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
            TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
        };
    }

    @Override
    public Subscription onEvent(Consumer<GuardEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public GuardSettings settings() {
        return settings;
    }

    @Override
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return circuitBreakers;
    }

    @Override
    public RetryRegistry retryRegistry() {
        return retries;
    }

    @Override
    public TimeLimiterRegistry timeLimiterRegistry() {
        return timeLimiters;
    }

    @Override
    public BulkheadRegistry bulkheadRegistry() {
        return bulkheads;
    }

    @Override
    public void close() {
        admin.cancelAll();
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownsCallExecutor) {
            callExecutor.shutdownNow();
        }
    }
}
