package org.projectbeacon.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.projectbeacon.resilience.BreakerAdmin;
import org.projectbeacon.resilience.BreakerSnapshot;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.GuardSettings;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.RegionFallbackConfig;

/**
 * Guard overhead against the raw resilience4j breaker it wraps, with the same breaker settings and
 * the same payload in the same run; plus the cost of a region fallback call whose first region
 * answers, and of a breaker snapshot. Run with {@code -prof gc} for allocation per call.
 *
 * <p>The {@code sideBySide} group runs a guard call and a bare breaker call at the same time, one
 * thread each: on a shared, busy machine both then see the same load, which one benchmark after
 * the other does not (their ratio then measures the load's drift as much as the guard).
 */
public class GuardBenchmark extends JmhDefaults {

    private static final GuardConfig CONFIG = GuardConfig.builder()
            .retryMaxAttempts(1)
            .withoutTimeout()
            .build();

    private GuardRegistry registry;
    private Guard guard;
    private CircuitBreaker rawBreaker;
    private CircuitBreaker rawBreakerWithMetrics;
    private GuardRegistry meteredRegistry;
    private Guard meteredGuard;
    private RegionFallback fallback;
    private BreakerAdmin admin;
    private long counter;
    private final Supplier<Long> payload = () -> ++counter;

    @Setup
    public void setUp() {
        // Region guards take their configuration from the settings: make them breaker-only too.
        registry = GuardRegistry.builder()
                .settings(GuardSettings.fromMap(Map.of(
                        "beacon.guard-defaults.retry-max-attempts", "1",
                        "beacon.guard-defaults.timeout", "none")))
                .build();
        guard = registry.guard("bench", CONFIG);
        fallback = registry.regionFallback(RegionFallbackConfig.builder("golem").regions("lhr", "fra", "ams").build());
        admin = registry.admin();
        rawBreaker = CircuitBreaker.of("raw", CircuitBreakerConfig.custom()
                .slidingWindow(CONFIG.slidingWindowSize(), CONFIG.minimumNumberOfCalls(), CONFIG.slidingWindowType())
                .failureRateThreshold(CONFIG.failureRateThreshold())
                .slowCallRateThreshold(CONFIG.slowCallRateThreshold())
                .slowCallDurationThreshold(CONFIG.slowCallDurationThreshold())
                .build());

        // The production setting: metrics bound. resilience4j's tagged metrics then subscribe to
        // every call's events, for the raw breaker and for the guard alike.
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CircuitBreakerRegistry rawRegistry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(rawRegistry).bindTo(meters);
        rawBreakerWithMetrics = rawRegistry.circuitBreaker("raw-metered", rawBreaker.getCircuitBreakerConfig());
        meteredRegistry = GuardRegistry.ofDefaults();
        meteredRegistry.metrics().bindTo(meters);
        meteredGuard = meteredRegistry.guard("bench-metered", CONFIG);
    }

    @TearDown
    public void tearDown() {
        registry.close();
        meteredRegistry.close();
    }

    /** The baseline with metrics bound: resilience4j's breaker and its tagged metrics. */
    @Benchmark
    public Long rawResilience4jBreakerWithMetrics() {
        return rawBreakerWithMetrics.executeSupplier(payload);
    }

    /** A Beacon guard with its metrics bound. */
    @Benchmark
    public Long beaconGuardWithMetrics() {
        return meteredGuard.get(payload);
    }

    /** The baseline: resilience4j's breaker around the payload. */
    @Benchmark
    public Long rawResilience4jBreaker() {
        return rawBreaker.executeSupplier(payload);
    }

    /** A Beacon guard (breaker only, as the baseline) around the same payload. */
    @Benchmark
    public Long beaconGuard() {
        return guard.get(payload);
    }

    /** A region fallback call answered by its first region. */
    @Benchmark
    public Long regionFallbackFirstRegion() {
        return fallback.call(region -> payload.get());
    }

    /** One breaker snapshot, as the health check and admin API take. */
    @Benchmark
    public BreakerSnapshot breakerSnapshot() {
        return admin.snapshot("bench");
    }

    /** A payload per thread, so the side-by-side pair shares no counter (and no cache line). */
    @State(Scope.Thread)
    public static class ThreadPayload {
        private long counter;
        final Supplier<Long> supplier = () -> ++counter;
    }

    /** The guard half of the side-by-side pair (see the class comment). */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public Long sideBySideBeaconGuard(ThreadPayload payload) {
        return guard.get(payload.supplier);
    }

    /** The bare-breaker half of the side-by-side pair, at the same time on another thread. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public Long sideBySideRawResilience4jBreaker(ThreadPayload payload) {
        return rawBreaker.executeSupplier(payload.supplier);
    }
}
