package org.projectbeacon.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class JitteredBackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void baseGrowsByTheMultiplierUntilTheCap() {
        JitteredBackoff backoff = new JitteredBackoff(INITIAL, 2.0, 0.5, MAX);
        assertThat(backoff.baseMillis(1)).isEqualTo(200);
        assertThat(backoff.baseMillis(2)).isEqualTo(400);
        assertThat(backoff.baseMillis(3)).isEqualTo(800);
        assertThat(backoff.baseMillis(5)).isEqualTo(3200);
        assertThat(backoff.baseMillis(6)).isEqualTo(5000);
        assertThat(backoff.baseMillis(60)).isEqualTo(5000);
    }

    @Test
    void jitterSpansExactlyBaseTimesOneMinusToOnePlusTheFactor() {
        JitteredBackoff lowest = new JitteredBackoff(INITIAL, 2.0, 0.5, MAX, () -> 0.0);
        JitteredBackoff middle = new JitteredBackoff(INITIAL, 2.0, 0.5, MAX, () -> 0.5);
        JitteredBackoff highest = new JitteredBackoff(INITIAL, 2.0, 0.5, MAX, () -> Math.nextDown(1.0));
        assertThat(lowest.apply(1)).isEqualTo(100);
        assertThat(middle.apply(1)).isEqualTo(200);
        assertThat(highest.apply(1)).isEqualTo(300);
        assertThat(lowest.apply(3)).isEqualTo(400);
        assertThat(highest.apply(3)).isEqualTo(1200);
    }

    @Test
    void jitterStillSpreadsWaitsOnceTheCapIsReached() {
        assertThat(new JitteredBackoff(INITIAL, 2.0, 0.5, MAX, () -> 0.0).apply(20)).isEqualTo(2500);
        assertThat(new JitteredBackoff(INITIAL, 2.0, 0.5, MAX, () -> Math.nextDown(1.0)).apply(20)).isEqualTo(7500);
    }

    @Test
    void randomWaitsStayWithinTheirBounds() {
        JitteredBackoff backoff = new JitteredBackoff(INITIAL, 2.0, 0.25, MAX,
                () -> ThreadLocalRandom.current().nextDouble());
        for (int attempt = 1; attempt <= 10; attempt++) {
            long base = backoff.baseMillis(attempt);
            for (int i = 0; i < 1_000; i++) {
                assertThat(backoff.apply(attempt)).isBetween(Math.round(base * 0.75), Math.round(base * 1.25));
            }
        }
    }

    @Test
    void withoutJitterEveryWaitIsTheBase() {
        JitteredBackoff backoff = new JitteredBackoff(INITIAL, 3.0, 0.0, MAX, () -> 0.9);
        assertThat(backoff.apply(1)).isEqualTo(200);
        assertThat(backoff.apply(2)).isEqualTo(600);
        assertThatThrownBy(() -> backoff.apply(0)).hasMessage("attempt must be at least 1 but was 0");
    }
}
