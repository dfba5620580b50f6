package org.projectbeacon.resilience.internal;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter applied after the cap: the wait before retry {@code n} (1-based)
 * is drawn uniformly from {@code base × [1 − f, 1 + f]}, where
 * {@code base = min(initial × multiplier^(n−1), max)}.
 *
 * <p>resilience4j caps after randomising, so once waits reach the cap every client retries at the
 * same instant; jittering the capped value keeps clients spread out. Thread-safe.
 */
public final class JitteredBackoff implements IntervalFunction {

    private final long initialMillis;
    private final double multiplier;
    private final double randomizationFactor;
    private final long maxMillis;
    private final DoubleSupplier random;

    /** Backoff drawing its jitter from {@link ThreadLocalRandom}. */
    public JitteredBackoff(Duration initial, double multiplier, double randomizationFactor, Duration max) {
        this(initial, multiplier, randomizationFactor, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Backoff drawing its jitter from {@code random}, which returns values in [0, 1). */
    public JitteredBackoff(Duration initial, double multiplier, double randomizationFactor, Duration max, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.multiplier = multiplier;
        this.randomizationFactor = randomizationFactor;
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before retry {@code attempt} (1-based) before jitter. */
    public long baseMillis(int attempt) {
        double base = initialMillis * Math.pow(multiplier, attempt - 1);
        return (long) Math.min(base, maxMillis);
    }

    @Override
    public Long apply(Integer attempt) {
        if (attempt == null || attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1 but was " + attempt);
        }
        long base = baseMillis(attempt);
        double delta = randomizationFactor * base;
        double jittered = base - delta + random.getAsDouble() * 2 * delta;
        return Math.max(1L, Math.round(jittered));
    }
}
