package org.projectbeacon.resilience.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardTimeoutException;

/**
 * A guard composing resilience4j's parts as retry → breaker → timeout → bulkhead → call.
 *
 * <p>Parts the configuration leaves out (retry with one attempt, no timeout, no bulkhead) are not
 * in the call path at all, so a breaker-only guard costs what the bare breaker costs.
 */
final class ComposedGuard implements Guard {

    private final String name;
    private final GuardConfig config;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final Bulkhead bulkhead;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callExecutor;
    private final Duration timeout;
    private final boolean breakerOnly;
    private final TransitionDetector transitions;

    ComposedGuard(
            String name,
            GuardConfig config,
            CircuitBreaker circuitBreaker,
            Retry retry,
            TimeLimiter timeLimiter,
            Bulkhead bulkhead,
            ScheduledExecutorService scheduler,
            ExecutorService callExecutor,
            TransitionDetector.Listener transitionListener) {
        this.name = name;
        this.config = config;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
        this.scheduler = scheduler;
        this.callExecutor = callExecutor;
        this.timeout = config.timeout().orElse(null);
        this.breakerOnly = retry == null && timeLimiter == null && bulkhead == null;
        this.transitions = new TransitionDetector(name, circuitBreaker, config.automaticTransitionToHalfOpen(),
                config.waitDurationInOpenState(), scheduler, transitionListener);
    }

    /**
     * Reports a breaker state change not yet reported. Each call through the guard checks before
     * (a change made outside it, such as a lazy move to HALF_OPEN) and after (the call's own).
     */
    void observeState() {
        transitions.check();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GuardConfig config() {
        return config;
    }

    @Override
    public <T> T call(Callable<T> callable) throws Exception {
        Objects.requireNonNull(callable, "callable");
        Callable<T> attempt = bulkhead == null ? callable : Bulkhead.decorateCallable(bulkhead, callable);
        if (timeLimiter != null) {
            attempt = timed(attempt);
        }
        if (retry == null) {
            return breakered(attempt);
        }
        Callable<T> retried = attempt;
        return retry.executeCallable(() -> breakered(retried));
    }

    /** One attempt through the breaker: {@link CircuitBreaker#decorateCallable} step by step, see {@link #acquire()}. */
    private <T> T breakered(Callable<T> attempt) throws Exception {
        long start = acquire();
        try {
            T result = attempt.call();
            succeeded(start, result);
            return result;
        } catch (Exception e) {
            failed(start, e);
            throw e;
        } finally {
            transitions.check();
        }
    }

    /**
     * Takes the breaker's permission, reporting any transition before and after: resilience4j's
     * decoration done by hand, because taking the permission can itself move the breaker (OPEN to
     * HALF_OPEN once the wait has passed) and the call's outcome can move it again (to CLOSED);
     * checked only around the whole call, the two would be reported as one. Doing it by hand also
     * spares the decorator lambda resilience4j allocates per call.
     *
     * @return the start timestamp, in the breaker's unit
     */
    private long acquire() {
        transitions.check();
        try {
            circuitBreaker.acquirePermission();
        } finally {
            transitions.check();
        }
        return circuitBreaker.getCurrentTimestamp();
    }

    private void succeeded(long start, Object result) {
        circuitBreaker.onResult(circuitBreaker.getCurrentTimestamp() - start, circuitBreaker.getTimestampUnit(), result);
    }

    private void failed(long start, Exception failure) {
        circuitBreaker.onError(circuitBreaker.getCurrentTimestamp() - start, circuitBreaker.getTimestampUnit(), failure);
    }

    private <T> Callable<T> timed(Callable<T> attempt) {
        return () -> {
            try {
                return timeLimiter.executeFutureSupplier(() -> callExecutor.submit(attempt));
            } catch (TimeoutException e) {
                throw new GuardTimeoutException(name, timeout, e);
            }
        };
    }

    @Override
    public <T> T get(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (breakerOnly) {
            // The common hot path, as breakered(Callable) without wrapping the supplier: nothing
            // allocated, a few state reads on top of the breaker's own work.
            long start = acquire();
            try {
                T result = supplier.get();
                succeeded(start, result);
                return result;
            } catch (Exception e) { // as resilience4j: a sneakily thrown checked exception counts too
                failed(start, e);
                throw e;
            } finally {
                transitions.check();
            }
        }
        try {
            return call(supplier::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("guard " + name + " was interrupted while waiting for the call", e);
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e);
        }
    }

    @Override
    public void run(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        get(() -> {
            runnable.run();
            return null;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        Supplier<CompletionStage<T>> attempt = (Supplier<CompletionStage<T>>) supplier;
        if (bulkhead != null) {
            attempt = Bulkhead.decorateCompletionStage(bulkhead, attempt);
        }
        if (timeLimiter != null) {
            attempt = timedAsync(attempt);
        }
        Supplier<CompletionStage<T>> permitted = attempt;
        // The check inside runs once the breaker has given its permission, which may have moved it
        // to HALF_OPEN: reported before the outcome can move it again.
        attempt = observedAsync(CircuitBreaker.decorateCompletionStage(circuitBreaker, () -> {
            transitions.check();
            return permitted.get();
        }));
        if (retry != null) {
            attempt = Retry.decorateCompletionStage(retry, scheduler, attempt);
        }
        return attempt.get();
    }

    private <T> Supplier<CompletionStage<T>> observedAsync(Supplier<CompletionStage<T>> breakered) {
        return () -> {
            transitions.check();
            CompletionStage<T> stage;
            try {
                stage = breakered.get();
            } finally {
                transitions.check();
            }
            // The breaker records the outcome when the stage completes: check again then. The
            // returned stage is the breaker's own, so the caller sees no extra stage in between.
            stage.whenComplete((value, failure) -> transitions.check());
            return stage;
        };
    }

    private <T> Supplier<CompletionStage<T>> timedAsync(Supplier<CompletionStage<T>> attempt) {
        return () -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            timeLimiter.executeCompletionStage(scheduler, attempt).whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else if (Throwables.unwrap(failure) instanceof TimeoutException timeoutException) {
                    result.completeExceptionally(new GuardTimeoutException(name, timeout, timeoutException));
                } else {
                    result.completeExceptionally(Throwables.unwrap(failure));
                }
            });
            return result;
        };
    }

    @Override
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    @Override
    public Optional<Retry> retry() {
        return Optional.ofNullable(retry);
    }

    @Override
    public Optional<TimeLimiter> timeLimiter() {
        return Optional.ofNullable(timeLimiter);
    }

    @Override
    public Optional<Bulkhead> bulkhead() {
        return Optional.ofNullable(bulkhead);
    }

    @Override
    public String toString() {
        return "Guard[" + name + ", " + circuitBreaker.getState() + "]";
    }
}
