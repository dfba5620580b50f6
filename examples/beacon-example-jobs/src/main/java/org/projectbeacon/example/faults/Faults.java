package org.projectbeacon.example.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The faults active now, consulted by the simulated dependencies on every call. Thread-safe; one
 * instance per runner.
 */
public final class Faults {

    private final Map<String, Fault> active = new ConcurrentHashMap<>();
    private final DoubleSupplier random;

    /** Faults drawing their chance from {@link ThreadLocalRandom}. */
    public Faults() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** Faults drawing their chance from {@code random} (values in [0, 1)). */
    public Faults(DoubleSupplier random) {
        this.random = random;
    }

    /** Adds or replaces the fault of its target and region. */
    public void inject(Fault fault) {
        active.put(fault.key(), fault);
    }

    /** Every active fault. */
    public List<Fault> active() {
        return active.values().stream().sorted(java.util.Comparator.comparing(Fault::key)).toList();
    }

    /** Clears every fault. */
    public void clear() {
        active.clear();
    }

    /** The fault of {@code target} (and, for providers, of {@code region} or of all regions). */
    public Optional<Fault> find(String target, String region) {
        Fault specific = region == null ? active.get(target) : active.get(target + ":" + region);
        return Optional.ofNullable(specific != null ? specific : region == null ? null : active.get(target + ":*"));
    }

    /** Whether this call to {@code target} in {@code region} should fail, by the fault's failure rate. */
    public boolean shouldFail(String target, String region) {
        return find(target, region).map(f -> f.down() || f.failureRate() > 0 && random.getAsDouble() < f.failureRate())
                .orElse(false);
    }

    /** The latency to add to this call of {@code target}. */
    public long latencyMs(String target, String region) {
        return find(target, region).map(Fault::latencyMs).orElse(0L);
    }

    /** Whether {@code target} is switched off ({@code down} or {@code paused}). */
    public boolean isOff(String target) {
        return find(target, null).map(f -> f.down() || f.paused()).orElse(false);
    }
}
