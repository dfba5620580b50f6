package org.projectbeacon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.resilience.MutableClock;

class HealthAggregatorTest {

    private final CountDownLatch never = new CountDownLatch(1);
    private HealthAggregator aggregator;

    @AfterEach
    void tearDown() {
        never.countDown();
        if (aggregator != null) {
            aggregator.close();
        }
    }

    @Test
    void aCheckThatHangsIsDownWithATimeoutAndDelaysNeitherTheOthersNorTheReport() {
        AtomicInteger hangingRuns = new AtomicInteger();
        HealthCheck hangs = () -> {
            hangingRuns.incrementAndGet();
            await(never); // blocks for as long as the test lasts; 30 s or forever makes no difference
            return CompletableFuture.completedFuture(HealthResult.up());
        };
        aggregator = HealthAggregator.builder()
                .check("ipfs", hangs, CheckOptions.builder().timeout(Duration.ofMillis(100)).build())
                .check("database", () -> CompletableFuture.completedFuture(HealthResult.up()))
                .build();

        // refreshNow returns although the ipfs check never finishes: the timeout answered for it.
        HealthReport report = aggregator.refreshNow();
        assertThat(report.services()).extracting(ServiceHealth::name, ServiceHealth::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ipfs", HealthStatus.DOWN),
                org.assertj.core.groups.Tuple.tuple("database", HealthStatus.UP));
        assertThat(report.services().get(0).error()).isEqualTo("timed out after 100 ms");
        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(aggregator.report()).isSameAs(report);

        // While the first run still hangs, the check is not started again.
        aggregator.refreshNow();
        assertThat(hangingRuns).hasValue(1);
    }

    @Test
    void concurrentRefreshesStartAHangingCheckOnce() throws Exception {
        AtomicInteger hangingRuns = new AtomicInteger();
        HealthCheck hangs = () -> {
            hangingRuns.incrementAndGet();
            await(never);
            return CompletableFuture.completedFuture(HealthResult.up());
        };
        aggregator = HealthAggregator.builder()
                .check("ipfs", hangs, CheckOptions.builder().timeout(Duration.ofMillis(50)).build())
                .build();
        // Eight refreshes released together race for the same idle check (found by the health
        // endpoint benchmark: start() and refreshNow() together ran a hung check twice).
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<HealthReport>> reports = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reports.add(callers.submit(() -> {
                    go.await();
                    return aggregator.refreshNow();
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<HealthReport> r : reports) {
                r.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(hangingRuns).hasValue(1);
    }

    @Test
    void exceptionsAndFailedStagesAreDownWithTypeAndMessage() {
        aggregator = HealthAggregator.builder()
                .check("thrower", () -> {
                    throw new IllegalStateException("pool exhausted");
                })
                .check("failed", () -> CompletableFuture.failedFuture(new java.io.IOException("refused")))
                .check("nothing", () -> null)
                .build();
        HealthReport report = aggregator.refreshNow();
        assertThat(report.services()).extracting(ServiceHealth::error).containsExactly(
                "IllegalStateException: pool exhausted", "IOException: refused", "check returned no result");
    }

    @Test
    void flapDampingNeedsConsecutiveFailuresToGoDownAndSuccessesToComeBack() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T03:00:00Z"));
        ScriptedCheck redis = new ScriptedCheck();
        aggregator = HealthAggregator.builder()
                .clock(clock)
                .check("redis", redis, CheckOptions.builder().failuresToDown(3).successesToUp(2).build())
                .build();
        assertThat(status()).isEqualTo(HealthStatus.UNKNOWN);

        redis.next(HealthStatus.UP);
        assertThat(refresh(clock)).isEqualTo(HealthStatus.UP);
        redis.next(HealthStatus.DOWN, HealthStatus.DOWN);
        assertThat(refresh(clock)).as("1st failure").isEqualTo(HealthStatus.UP);
        assertThat(aggregator.report().services().get(0).error()).isEqualTo("scripted DOWN (failure 1 of 3 before DOWN)");
        assertThat(refresh(clock)).as("2nd failure").isEqualTo(HealthStatus.UP);
        redis.next(HealthStatus.UP);
        assertThat(refresh(clock)).as("a success resets the count").isEqualTo(HealthStatus.UP);
        redis.next(HealthStatus.DOWN, HealthStatus.DOWN, HealthStatus.DOWN);
        refresh(clock);
        refresh(clock);
        assertThat(refresh(clock)).as("3rd failure in a row").isEqualTo(HealthStatus.DOWN);
        redis.next(HealthStatus.UP, HealthStatus.DOWN, HealthStatus.UP, HealthStatus.DEGRADED);
        assertThat(refresh(clock)).as("one success is not enough").isEqualTo(HealthStatus.DOWN);
        assertThat(aggregator.report().services().get(0).error()).isEqualTo("recovering: 1 of 2 good results in a row");
        assertThat(refresh(clock)).isEqualTo(HealthStatus.DOWN);
        assertThat(refresh(clock)).isEqualTo(HealthStatus.DOWN);
        assertThat(refresh(clock)).as("2nd good result in a row").isEqualTo(HealthStatus.DEGRADED);
        assertThat(aggregator.report().services().get(0).checkedAt()).isEqualTo(clock.instant());
        assertThat(aggregator.report().checkedAt()).isEqualTo(clock.instant());
    }

    @Test
    void theFirstResultIsTakenAsItIs() {
        ScriptedCheck check = new ScriptedCheck();
        aggregator = HealthAggregator.builder()
                .check("golem", check, CheckOptions.builder().failuresToDown(5).build())
                .build();
        check.next(HealthStatus.DOWN);
        assertThat(aggregator.refreshNow().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void backgroundRunsKeepTheReportFresh() {
        AtomicInteger runs = new AtomicInteger();
        aggregator = HealthAggregator.builder()
                .check("database", () -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture(HealthResult.up());
                }, CheckOptions.builder().interval(Duration.ofMillis(20)).build())
                .build()
                .start();
        org.awaitility.Awaitility.await().until(() -> runs.get() >= 3);
        assertThat(aggregator.report().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void badRegistrationsFailFastNamingTheValue() {
        HealthCheck ok = () -> CompletableFuture.completedFuture(HealthResult.up());
        assertThatThrownBy(() -> HealthAggregator.builder().check("db", ok).check("db", ok))
                .hasMessage("name must be unique but 'db' is registered twice");
        assertThatThrownBy(() -> HealthAggregator.builder().check("bad name", ok))
                .hasMessageContaining("but was 'bad name'");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ZERO))
                .hasMessage("timeout must be at least 1ms but was PT0S");
        assertThatThrownBy(() -> CheckOptions.builder().failuresToDown(0))
                .hasMessage("failuresToDown must be at least 1 but was 0");
    }

    private HealthStatus refresh(MutableClock clock) {
        clock.advance(Duration.ofSeconds(5));
        return aggregator.refreshNow().services().get(0).status();
    }

    private HealthStatus status() {
        return aggregator.report().services().get(0).status();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A check answering a scripted sequence of statuses. */
    static final class ScriptedCheck implements HealthCheck {
        private final Deque<HealthStatus> script = new ArrayDeque<>();

        synchronized void next(HealthStatus... statuses) {
            script.addAll(java.util.List.of(statuses));
        }

        @Override
        public synchronized CompletableFuture<HealthResult> check() {
            HealthStatus status = script.isEmpty() ? HealthStatus.UP : script.poll();
            return CompletableFuture.completedFuture(new HealthResult(status,
                    status == HealthStatus.UP ? null : "scripted " + status, null, null));
        }
    }
}
