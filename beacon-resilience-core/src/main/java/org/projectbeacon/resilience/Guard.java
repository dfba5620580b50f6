package org.projectbeacon.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Protects the calls to one named dependency (such as {@code golem}, {@code ipfs}, {@code redis} or
 * {@code database}) with a circuit breaker, a retry, a timeout and an optional bulkhead.
 *
 * <p>The parts are composed as {@link GuardConfig} documents: retry, then breaker, then timeout,
 * then bulkhead, then the call. A call's own exception reaches the caller unchanged once retries
 * are spent. Other outcomes are resilience4j's {@link
 * io.github.resilience4j.circuitbreaker.CallNotPermittedException} when the breaker is open, {@link
 * io.github.resilience4j.bulkhead.BulkheadFullException} when the bulkhead is full, and {@link
 * GuardTimeoutException} when an attempt outlives the timeout.
 *
 * <p>Guards are created by a {@link GuardRegistry} and are thread-safe.
 */
public interface Guard {

    /** The dependency's name, unique in its registry. */
    String name();

    /** The configuration the guard was built with. */
    GuardConfig config();

    /**
     * Calls {@code callable} under the guard.
     *
     * @throws Exception the callable's own exception, or one of the guard's rejections
     */
    <T> T call(Callable<T> callable) throws Exception;

    /**
     * Gets a value from {@code supplier} under the guard.
     *
     * @throws RuntimeException the supplier's own exception, or one of the guard's rejections
     */
    <T> T get(Supplier<T> supplier);

    /**
     * Runs {@code runnable} under the guard.
     *
     * @throws RuntimeException the runnable's own exception, or one of the guard's rejections
     */
    void run(Runnable runnable);

    /**
     * Starts an asynchronous call under the guard. The supplier is invoked once per attempt; waits
     * between attempts and the timeout use the registry's scheduler, never the caller's thread. The
     * returned stage completes with the first successful result or the last failure.
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier);

    /** The resilience4j circuit breaker; for reading state and metrics. Prefer {@link BreakerAdmin} to change state. */
    CircuitBreaker circuitBreaker();

    /** The resilience4j retry, present when the configuration allows more than one attempt. */
    Optional<Retry> retry();

    /** The resilience4j time limiter, present when attempts are timed. */
    Optional<TimeLimiter> timeLimiter();

    /** The resilience4j bulkhead, present when the configuration has one. */
    Optional<Bulkhead> bulkhead();

    /** Whether the breaker would let a call through now (it is not {@code OPEN} or {@code FORCED_OPEN}). */
    default boolean permitsCalls() {
        CircuitBreaker.State state = circuitBreaker().getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }
}
