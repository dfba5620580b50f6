package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardTest {

    private final MutableClock clock = MutableClock.atEpochDay();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ExecutorService callExecutor = Executors.newCachedThreadPool();
    private final GuardRegistry registry = GuardRegistry.builder()
            .clock(clock)
            .scheduler(scheduler)
            .callExecutor(callExecutor)
            .build();

    /** A breaker-only guard over a window of 10 calls that opens at 50 % failures. */
    private final GuardConfig breakerOnly = GuardConfig.builder()
            .slidingWindowSize(10)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .automaticTransitionToHalfOpen(false)
            .permittedCallsInHalfOpenState(3)
            .retryMaxAttempts(1)
            .withoutTimeout()
            .build();

    @AfterEach
    void tearDown() {
        registry.close();
        callExecutor.shutdownNow();
    }

    @Test
    void breakerStaysClosedJustBelowTheThresholdAndOpensAtIt() {
        Guard guard = registry.guard("golem", breakerOnly);
        for (int i = 0; i < 6; i++) {
            succeed(guard);
        }
        for (int i = 0; i < 4; i++) {
            fail(guard);
        }
        assertThat(guard.circuitBreaker().getState()).as("4 of 10 failed: 40 %% < 50 %%").isEqualTo(State.CLOSED);

        fail(guard); // the window now holds 5 successes and 5 failures: 50 %
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.OPEN);
        assertThatThrownBy(() -> guard.get(() -> "never called")).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void noRateIsComputedBeforeTheMinimumNumberOfCalls() {
        Guard guard = registry.guard("ipfs", breakerOnly);
        for (int i = 0; i < 9; i++) {
            fail(guard);
        }
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.CLOSED);
        fail(guard);
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.OPEN);
    }

    @Test
    void openBreakerLetsTheConfiguredNumberOfTrialCallsThroughAfterItsWait() {
        Guard guard = registry.guard("golem", breakerOnly);
        openBreaker(guard);

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> succeed(guard)).isInstanceOf(CallNotPermittedException.class);

        clock.advance(Duration.ofMillis(1001)); // the wait has passed once the clock is beyond it
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService trial = Executors.newFixedThreadPool(3);
        try {
            // Three trial calls held in flight use up the half-open permits; a fourth is refused.
            for (int i = 0; i < 3; i++) {
                trial.submit(() -> guard.get(() -> {
                    calls.incrementAndGet();
                    await(release);
                    return "ok";
                }));
            }
            org.awaitility.Awaitility.await().until(() -> calls.get() == 3);
            assertThat(guard.circuitBreaker().getState()).isEqualTo(State.HALF_OPEN);
            assertThatThrownBy(() -> succeed(guard)).isInstanceOf(CallNotPermittedException.class);
            release.countDown();
            org.awaitility.Awaitility.await().until(() -> guard.circuitBreaker().getState() == State.CLOSED);
        } finally {
            trial.shutdownNow();
        }
    }

    @Test
    void aFailedTrialCallOpensTheBreakerAgain() {
        Guard guard = registry.guard("golem", breakerOnly.toBuilder().permittedCallsInHalfOpenState(1).build());
        openBreaker(guard);
        clock.advance(Duration.ofMillis(30_001));
        fail(guard);
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.OPEN);
    }

    @Test
    void slowCallsOpenTheBreakerWhenTheirRateReachesTheThreshold() {
        Guard guard = registry.guard("database", breakerOnly.toBuilder()
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(60)
                .build());
        for (int i = 0; i < 4; i++) {
            succeed(guard);
        }
        for (int i = 0; i < 6; i++) {
            guard.get(() -> {
                clock.advance(Duration.ofMillis(2_001)); // longer than the 2 s threshold, by the breaker's clock
                return "slow";
            });
        }
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfSlowCalls()).isEqualTo(6);
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.OPEN);
    }

    @Test
    void retriesUpToMaxAttemptsAndReturnsTheFirstSuccess() {
        Guard guard = registry.guard("redis", breakerOnly.toBuilder()
                .retryMaxAttempts(3)
                .retryInitialInterval(Duration.ofMillis(1))
                .retryMaxInterval(Duration.ofMillis(2))
                .build());
        AtomicInteger attempts = new AtomicInteger();
        String result = guard.get(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky " + attempts.get());
            }
            return "third time";
        });
        assertThat(result).isEqualTo("third time");
        assertThat(attempts).hasValue(3);

        attempts.set(0);
        assertThatThrownBy(() -> guard.get(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("always");
        })).isInstanceOf(IllegalStateException.class).hasMessage("always");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void retryStopsAtOnceWhenTheBreakerOpensAndSkipsExceptionsItMustNotRetry() {
        Guard guard = registry.guard("redis", breakerOnly.toBuilder()
                .retryMaxAttempts(5)
                .retryInitialInterval(Duration.ofMillis(1))
                .retryMaxInterval(Duration.ofMillis(1))
                .retryOn(t -> !(t instanceof IllegalArgumentException))
                .build());
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.get(() -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);

        registry.admin().forceOpen("redis", Duration.ofMinutes(1), "test");
        attempts.set(0);
        assertThatThrownBy(() -> guard.get(attempts::incrementAndGet)).isInstanceOf(CallNotPermittedException.class);
        assertThat(attempts).hasValue(0);
    }

    @Test
    void anAttemptOutlivingTheTimeoutFailsWithGuardTimeoutAndCountsAsFailure() {
        Guard guard = registry.guard("ipfs", breakerOnly.toBuilder().timeout(Duration.ofMillis(50)).build());
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> guard.get(() -> {
            await(never);
            return "late";
        })).isInstanceOf(GuardTimeoutException.class).hasMessage("guard ipfs timed out after 50 ms");
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(guard.get(() -> "fast")).isEqualTo("fast");
    }

    @Test
    void aFullBulkheadRejectsTheExtraCallWithoutCallingIt() throws Exception {
        Guard guard = registry.guard("golem", breakerOnly.toBuilder().bulkheadMaxConcurrentCalls(1).build());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<String> holder = other.submit(() -> guard.get(() -> {
                inside.countDown();
                await(release);
                return "held";
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger called = new AtomicInteger();
            assertThatThrownBy(() -> guard.get(called::incrementAndGet)).isInstanceOf(BulkheadFullException.class);
            assertThat(called).hasValue(0);
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void callPassesCheckedExceptionsThroughUnchanged() {
        Guard guard = registry.guard("ipfs", breakerOnly);
        assertThatThrownBy(() -> guard.call(() -> {
            throw new IOException("connection refused");
        })).isInstanceOf(IOException.class).hasMessage("connection refused");
    }

    @Test
    void asyncCallsRetryOnTheSchedulerAndTimeOut() throws Exception {
        Guard guard = registry.guard("golem", breakerOnly.toBuilder()
                .retryMaxAttempts(2)
                .retryInitialInterval(Duration.ofMillis(100))
                .retryMaxInterval(Duration.ofMillis(100))
                .retryRandomizationFactor(0)
                .build());
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = guard.<String>callAsync(() -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IOException("first"))
                : CompletableFuture.completedFuture("second")).toCompletableFuture();
        assertThat(result).isNotDone();
        scheduler.advance(Duration.ofMillis(100));
        assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(attempts).hasValue(2);

        Guard timed = registry.guard("ipfs", breakerOnly.toBuilder().timeout(Duration.ofSeconds(2)).build());
        CompletableFuture<String> hanging = timed.<String>callAsync(CompletableFuture::new).toCompletableFuture();
        scheduler.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> hanging.get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(GuardTimeoutException.class);
    }

    @Test
    void theSameNameGivesTheSameGuardAndAConflictingConfigIsRefused() {
        Guard first = registry.guard("golem", breakerOnly);
        assertThat(registry.guard("golem")).isSameAs(first);
        assertThat(registry.guard("golem", breakerOnly)).isSameAs(first);
        assertThatThrownBy(() -> registry.guard("golem", GuardConfig.ofDefaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("guard golem already exists");
        assertThatThrownBy(() -> registry.guard("bad name")).hasMessageContaining("'bad name'");
    }

    @Test
    void registryListsFindsRemovesAndPublishesLifecycleEvents() {
        java.util.List<GuardEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.onEvent(events::add);
        registry.guard("redis", breakerOnly);
        registry.guard("database", breakerOnly);
        assertThat(registry.guards()).extracting(Guard::name).containsExactly("database", "redis");
        assertThat(registry.find("redis")).isPresent();
        assertThat(registry.remove("redis")).isTrue();
        assertThat(registry.remove("redis")).isFalse();
        assertThat(registry.find("redis")).isEmpty();
        assertThat(events).extracting(GuardEvent::type, GuardEvent::guardName).containsExactly(
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Type.ADDED, "redis"),
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Type.ADDED, "database"),
                org.assertj.core.groups.Tuple.tuple(GuardEvent.Type.REMOVED, "redis"));
    }

    static void openBreaker(Guard guard) {
        for (int i = 0; i < guard.config().minimumNumberOfCalls(); i++) {
            fail(guard);
        }
        assertThat(guard.circuitBreaker().getState()).isEqualTo(State.OPEN);
    }

    static void succeed(Guard guard) {
        guard.get(() -> "ok");
    }

    /** Makes one successful call and returns its result. */
    static String await(Guard guard) {
        return guard.get(() -> "ok");
    }

    static void fail(Guard guard) {
        assertThatThrownBy(() -> guard.get(() -> {
            throw new IllegalStateException("provider failed");
        })).isInstanceOf(IllegalStateException.class);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
