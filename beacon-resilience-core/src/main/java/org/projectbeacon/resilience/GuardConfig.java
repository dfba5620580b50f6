package org.projectbeacon.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The immutable configuration of one {@link Guard}: its circuit breaker, retry, timeout and
 * optional bulkhead.
 *
 * <p>Create one with {@link #builder()} (every setting starts at its {@code DEFAULT_*} constant) or
 * {@link #toBuilder()}. Builders validate each value as it is set and throw
 * {@link IllegalArgumentException} naming the parameter and the rejected value, so a bad setting
 * fails where it is written, not on the first call. Instances are thread-safe.
 *
 * <p>Guards compose the parts in this order, outermost first: retry, circuit breaker, timeout,
 * bulkhead, call. Every attempt therefore passes the breaker (an open breaker ends the retries at
 * once), is timed on its own, and holds a bulkhead permit only while it really runs.
 */
public final class GuardConfig {

    /** Default {@code COUNT_BASED}: the breaker counts the outcome of the last N calls. */
    public static final SlidingWindowType DEFAULT_SLIDING_WINDOW_TYPE = SlidingWindowType.COUNT_BASED;
    /** Default {@value}: calls (count based) or seconds (time based) in the sliding window. */
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 100;
    /** Default {@value}: calls recorded before a failure or slow-call rate is computed. */
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;
    /** Default {@value} percent: the failure rate at or above which the breaker opens. */
    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
    /** Default {@value} percent: the slow-call rate at or above which the breaker opens. */
    public static final float DEFAULT_SLOW_CALL_RATE_THRESHOLD = 100f;
    /** Default 5 s: a call lasting longer than this counts as slow. */
    public static final Duration DEFAULT_SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(5);
    /** Default {@value}: trial calls permitted while half-open. */
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 5;
    /** Default zero: a half-open breaker waits for all its trial calls, however long they take. */
    public static final Duration DEFAULT_MAX_WAIT_IN_HALF_OPEN_STATE = Duration.ZERO;
    /** Default 30 s: how long the breaker stays open before it lets trial calls through. */
    public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(30);
    /** Default {@value}: an open breaker moves to half-open by itself when its wait ends. */
    public static final boolean DEFAULT_AUTOMATIC_TRANSITION_TO_HALF_OPEN = true;
    /** Default {@value}: attempts per call, the first one included (1 disables retries). */
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 3;
    /** Default 200 ms: the wait before the first retry, before jitter. */
    public static final Duration DEFAULT_RETRY_INITIAL_INTERVAL = Duration.ofMillis(200);
    /** Default {@value}: each further wait is the previous one times this. */
    public static final double DEFAULT_RETRY_MULTIPLIER = 2.0;
    /** Default {@value}: each wait is drawn uniformly from wait × [1 − f, 1 + f]. */
    public static final double DEFAULT_RETRY_RANDOMIZATION_FACTOR = 0.5;
    /** Default 10 s: no wait between attempts is longer. */
    public static final Duration DEFAULT_RETRY_MAX_INTERVAL = Duration.ofSeconds(10);
    /** Default 10 s: the time one attempt may take; see {@link Builder#withoutTimeout()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default zero: a call that finds the bulkhead full is rejected at once. */
    public static final Duration DEFAULT_BULKHEAD_MAX_WAIT = Duration.ZERO;

    /** Default: every exception counts as a breaker failure. */
    public static final Predicate<Throwable> DEFAULT_RECORD_FAILURE = throwable -> true;
    /** Default: every exception is retried except a rejection by the open breaker. */
    public static final Predicate<Throwable> DEFAULT_RETRY_ON =
            throwable -> !(throwable instanceof CallNotPermittedException);

    private final SlidingWindowType slidingWindowType;
    private final int slidingWindowSize;
    private final int minimumNumberOfCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final Duration slowCallDurationThreshold;
    private final int permittedCallsInHalfOpenState;
    private final Duration maxWaitInHalfOpenState;
    private final Duration waitDurationInOpenState;
    private final boolean automaticTransitionToHalfOpen;
    private final Predicate<Throwable> recordFailure;
    private final int retryMaxAttempts;
    private final Duration retryInitialInterval;
    private final double retryMultiplier;
    private final double retryRandomizationFactor;
    private final Duration retryMaxInterval;
    private final Predicate<Throwable> retryOn;
    private final Duration timeout;
    private final Integer bulkheadMaxConcurrentCalls;
    private final Duration bulkheadMaxWait;

    private GuardConfig(Builder b) {
        this.slidingWindowType = b.slidingWindowType;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDurationThreshold = b.slowCallDurationThreshold;
        this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
        this.maxWaitInHalfOpenState = b.maxWaitInHalfOpenState;
        this.waitDurationInOpenState = b.waitDurationInOpenState;
        this.automaticTransitionToHalfOpen = b.automaticTransitionToHalfOpen;
        this.recordFailure = b.recordFailure;
        this.retryMaxAttempts = b.retryMaxAttempts;
        this.retryInitialInterval = b.retryInitialInterval;
        this.retryMultiplier = b.retryMultiplier;
        this.retryRandomizationFactor = b.retryRandomizationFactor;
        this.retryMaxInterval = b.retryMaxInterval;
        this.retryOn = b.retryOn;
        this.timeout = b.timeout;
        this.bulkheadMaxConcurrentCalls = b.bulkheadMaxConcurrentCalls;
        this.bulkheadMaxWait = b.bulkheadMaxWait;
    }

    /** A configuration with every default. */
    public static GuardConfig ofDefaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Count or time based sliding window. */
    public SlidingWindowType slidingWindowType() {
        return slidingWindowType;
    }

    /** Size of the sliding window, in calls or seconds. */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** Calls recorded before rates are computed. */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** Failure rate in percent that opens the breaker. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Slow-call rate in percent that opens the breaker. */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** A call lasting longer than this counts as slow. */
    public Duration slowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /** Trial calls in half-open state. */
    public int permittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    /** The longest time in half-open state before opening again; zero waits for all trial calls. */
    public Duration maxWaitInHalfOpenState() {
        return maxWaitInHalfOpenState;
    }

    /** The time the breaker stays open. */
    public Duration waitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    /** Whether the breaker moves from open to half-open by itself. */
    public boolean automaticTransitionToHalfOpen() {
        return automaticTransitionToHalfOpen;
    }

    /** Which exceptions the breaker records as failures (others are ignored). */
    public Predicate<Throwable> recordFailure() {
        return recordFailure;
    }

    /** Attempts per call, the first included. */
    public int retryMaxAttempts() {
        return retryMaxAttempts;
    }

    /** The wait before the first retry, before jitter. */
    public Duration retryInitialInterval() {
        return retryInitialInterval;
    }

    /** The factor between consecutive waits. */
    public double retryMultiplier() {
        return retryMultiplier;
    }

    /** The jitter factor of each wait. */
    public double retryRandomizationFactor() {
        return retryRandomizationFactor;
    }

    /** The cap on any wait between attempts. */
    public Duration retryMaxInterval() {
        return retryMaxInterval;
    }

    /** Which exceptions are retried. */
    public Predicate<Throwable> retryOn() {
        return retryOn;
    }

    /** The time one attempt may take, or empty when attempts are not timed. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The bulkhead's concurrent-call limit, or empty when the guard has no bulkhead. */
    public Optional<Integer> bulkheadMaxConcurrentCalls() {
        return Optional.ofNullable(bulkheadMaxConcurrentCalls);
    }

    /** How long a call waits for a bulkhead permit. */
    public Duration bulkheadMaxWait() {
        return bulkheadMaxWait;
    }

    @Override
    public String toString() {
        return "GuardConfig{slidingWindowType=" + slidingWindowType
                + ", slidingWindowSize=" + slidingWindowSize
                + ", minimumNumberOfCalls=" + minimumNumberOfCalls
                + ", failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold
                + ", slowCallDurationThreshold=" + slowCallDurationThreshold
                + ", permittedCallsInHalfOpenState=" + permittedCallsInHalfOpenState
                + ", maxWaitInHalfOpenState=" + maxWaitInHalfOpenState
                + ", waitDurationInOpenState=" + waitDurationInOpenState
                + ", automaticTransitionToHalfOpen=" + automaticTransitionToHalfOpen
                + ", retryMaxAttempts=" + retryMaxAttempts
                + ", retryInitialInterval=" + retryInitialInterval
                + ", retryMultiplier=" + retryMultiplier
                + ", retryRandomizationFactor=" + retryRandomizationFactor
                + ", retryMaxInterval=" + retryMaxInterval
                + ", timeout=" + timeout
                + ", bulkheadMaxConcurrentCalls=" + bulkheadMaxConcurrentCalls
                + ", bulkheadMaxWait=" + bulkheadMaxWait + '}';
    }

    /**
     * Builds a {@link GuardConfig}. Each setter validates its argument at once and throws
     * {@link IllegalArgumentException} naming the parameter and the value. Not thread-safe.
     */
    public static final class Builder {
        private SlidingWindowType slidingWindowType = DEFAULT_SLIDING_WINDOW_TYPE;
        private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
        private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
        private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private float slowCallRateThreshold = DEFAULT_SLOW_CALL_RATE_THRESHOLD;
        private Duration slowCallDurationThreshold = DEFAULT_SLOW_CALL_DURATION_THRESHOLD;
        private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
        private Duration maxWaitInHalfOpenState = DEFAULT_MAX_WAIT_IN_HALF_OPEN_STATE;
        private Duration waitDurationInOpenState = DEFAULT_WAIT_DURATION_IN_OPEN_STATE;
        private boolean automaticTransitionToHalfOpen = DEFAULT_AUTOMATIC_TRANSITION_TO_HALF_OPEN;
        private Predicate<Throwable> recordFailure = DEFAULT_RECORD_FAILURE;
        private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;
        private Duration retryInitialInterval = DEFAULT_RETRY_INITIAL_INTERVAL;
        private double retryMultiplier = DEFAULT_RETRY_MULTIPLIER;
        private double retryRandomizationFactor = DEFAULT_RETRY_RANDOMIZATION_FACTOR;
        private Duration retryMaxInterval = DEFAULT_RETRY_MAX_INTERVAL;
        private Predicate<Throwable> retryOn = DEFAULT_RETRY_ON;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Integer bulkheadMaxConcurrentCalls;
        private Duration bulkheadMaxWait = DEFAULT_BULKHEAD_MAX_WAIT;

        private Builder() {}

        private Builder(GuardConfig c) {
            slidingWindowType = c.slidingWindowType;
            slidingWindowSize = c.slidingWindowSize;
            minimumNumberOfCalls = c.minimumNumberOfCalls;
            failureRateThreshold = c.failureRateThreshold;
            slowCallRateThreshold = c.slowCallRateThreshold;
            slowCallDurationThreshold = c.slowCallDurationThreshold;
            permittedCallsInHalfOpenState = c.permittedCallsInHalfOpenState;
            maxWaitInHalfOpenState = c.maxWaitInHalfOpenState;
            waitDurationInOpenState = c.waitDurationInOpenState;
            automaticTransitionToHalfOpen = c.automaticTransitionToHalfOpen;
            recordFailure = c.recordFailure;
            retryMaxAttempts = c.retryMaxAttempts;
            retryInitialInterval = c.retryInitialInterval;
            retryMultiplier = c.retryMultiplier;
            retryRandomizationFactor = c.retryRandomizationFactor;
            retryMaxInterval = c.retryMaxInterval;
            retryOn = c.retryOn;
            timeout = c.timeout;
            bulkheadMaxConcurrentCalls = c.bulkheadMaxConcurrentCalls;
            bulkheadMaxWait = c.bulkheadMaxWait;
        }

        /** Count based (last N calls) or time based (last N seconds). */
        public Builder slidingWindowType(SlidingWindowType slidingWindowType) {
            this.slidingWindowType = Objects.requireNonNull(slidingWindowType, "slidingWindowType");
            return this;
        }

        /** Size of the sliding window: at least 1. */
        public Builder slidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = atLeast("slidingWindowSize", slidingWindowSize, 1);
            return this;
        }

        /** Calls recorded before rates are computed: at least 1. */
        public Builder minimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = atLeast("minimumNumberOfCalls", minimumNumberOfCalls, 1);
            return this;
        }

        /** Failure rate in percent that opens the breaker: in (0, 100]. */
        public Builder failureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = percentage("failureRateThreshold", failureRateThreshold);
            return this;
        }

        /** Slow-call rate in percent that opens the breaker: in (0, 100]. */
        public Builder slowCallRateThreshold(float slowCallRateThreshold) {
            this.slowCallRateThreshold = percentage("slowCallRateThreshold", slowCallRateThreshold);
            return this;
        }

        /** A call lasting longer than this counts as slow: positive. */
        public Builder slowCallDurationThreshold(Duration slowCallDurationThreshold) {
            this.slowCallDurationThreshold = positive("slowCallDurationThreshold", slowCallDurationThreshold);
            return this;
        }

        /** Trial calls in half-open state: at least 1. */
        public Builder permittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState =
                    atLeast("permittedCallsInHalfOpenState", permittedCallsInHalfOpenState, 1);
            return this;
        }

        /** Longest stay in half-open state: zero (wait for every trial call) or positive. */
        public Builder maxWaitInHalfOpenState(Duration maxWaitInHalfOpenState) {
            this.maxWaitInHalfOpenState = notNegative("maxWaitInHalfOpenState", maxWaitInHalfOpenState);
            return this;
        }

        /** How long the breaker stays open: at least 1 ms. */
        public Builder waitDurationInOpenState(Duration waitDurationInOpenState) {
            Duration value = positive("waitDurationInOpenState", waitDurationInOpenState);
            if (value.toMillis() < 1) {
                throw invalid("waitDurationInOpenState", value, "must be at least 1ms");
            }
            this.waitDurationInOpenState = value;
            return this;
        }

        /** Whether the breaker moves from open to half-open by itself. */
        public Builder automaticTransitionToHalfOpen(boolean automaticTransitionToHalfOpen) {
            this.automaticTransitionToHalfOpen = automaticTransitionToHalfOpen;
            return this;
        }

        /** Which exceptions count as breaker failures; the others are ignored by the breaker. */
        public Builder recordFailure(Predicate<Throwable> recordFailure) {
            this.recordFailure = Objects.requireNonNull(recordFailure, "recordFailure");
            return this;
        }

        /** Attempts per call, the first included: in [1, 100]. */
        public Builder retryMaxAttempts(int retryMaxAttempts) {
            if (retryMaxAttempts < 1 || retryMaxAttempts > 100) {
                throw invalid("retryMaxAttempts", retryMaxAttempts, "must be in [1, 100]");
            }
            this.retryMaxAttempts = retryMaxAttempts;
            return this;
        }

        /** The wait before the first retry: at least 1 ms. */
        public Builder retryInitialInterval(Duration retryInitialInterval) {
            Duration value = positive("retryInitialInterval", retryInitialInterval);
            if (value.toMillis() < 1) {
                throw invalid("retryInitialInterval", value, "must be at least 1ms");
            }
            this.retryInitialInterval = value;
            return this;
        }

        /** The factor between consecutive waits: at least 1. */
        public Builder retryMultiplier(double retryMultiplier) {
            if (!(retryMultiplier >= 1.0) || Double.isInfinite(retryMultiplier)) {
                throw invalid("retryMultiplier", retryMultiplier, "must be a finite number >= 1");
            }
            this.retryMultiplier = retryMultiplier;
            return this;
        }

        /** The jitter factor: in [0, 1). */
        public Builder retryRandomizationFactor(double retryRandomizationFactor) {
            if (!(retryRandomizationFactor >= 0.0 && retryRandomizationFactor < 1.0)) {
                throw invalid("retryRandomizationFactor", retryRandomizationFactor, "must be in [0, 1)");
            }
            this.retryRandomizationFactor = retryRandomizationFactor;
            return this;
        }

        /** The cap on any wait: at least 1 ms. */
        public Builder retryMaxInterval(Duration retryMaxInterval) {
            Duration value = positive("retryMaxInterval", retryMaxInterval);
            if (value.toMillis() < 1) {
                throw invalid("retryMaxInterval", value, "must be at least 1ms");
            }
            this.retryMaxInterval = value;
            return this;
        }

        /** Which exceptions are retried. */
        public Builder retryOn(Predicate<Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /** The time one attempt may take: at least 1 ms. */
        public Builder timeout(Duration timeout) {
            Duration value = positive("timeout", timeout);
            if (value.toMillis() < 1) {
                throw invalid("timeout", value, "must be at least 1ms");
            }
            this.timeout = value;
            return this;
        }

        /**
         * Attempts are not timed. Synchronous calls then run on the caller's thread with no hand-off
         * to an executor, which is the cheapest guard.
         */
        public Builder withoutTimeout() {
            this.timeout = null;
            return this;
        }

        /** Adds a bulkhead admitting at most this many concurrent calls: at least 1. */
        public Builder bulkheadMaxConcurrentCalls(int bulkheadMaxConcurrentCalls) {
            this.bulkheadMaxConcurrentCalls = atLeast("bulkheadMaxConcurrentCalls", bulkheadMaxConcurrentCalls, 1);
            return this;
        }

        /** Removes the bulkhead. */
        public Builder withoutBulkhead() {
            this.bulkheadMaxConcurrentCalls = null;
            return this;
        }

        /** How long a call waits for a bulkhead permit: zero or positive. */
        public Builder bulkheadMaxWait(Duration bulkheadMaxWait) {
            this.bulkheadMaxWait = notNegative("bulkheadMaxWait", bulkheadMaxWait);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException when settings contradict each other, naming both
         */
        public GuardConfig build() {
            if (slidingWindowType == SlidingWindowType.COUNT_BASED && minimumNumberOfCalls > slidingWindowSize) {
                throw new IllegalArgumentException("minimumNumberOfCalls (" + minimumNumberOfCalls
                        + ") must not exceed slidingWindowSize (" + slidingWindowSize + ") for a COUNT_BASED window");
            }
            if (retryMaxInterval.compareTo(retryInitialInterval) < 0) {
                throw new IllegalArgumentException("retryMaxInterval (" + retryMaxInterval
                        + ") must not be shorter than retryInitialInterval (" + retryInitialInterval + ")");
            }
            return new GuardConfig(this);
        }

        private static int atLeast(String parameter, int value, int minimum) {
            if (value < minimum) {
                throw invalid(parameter, value, "must be at least " + minimum);
            }
            return value;
        }

        private static float percentage(String parameter, float value) {
            if (!(value > 0f && value <= 100f)) {
                throw invalid(parameter, value, "must be in (0, 100]");
            }
            return value;
        }

        private static Duration positive(String parameter, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw invalid(parameter, value, "must be a positive duration");
            }
            return value;
        }

        private static Duration notNegative(String parameter, Duration value) {
            if (value == null || value.isNegative()) {
                throw invalid(parameter, value, "must be zero or a positive duration");
            }
            return value;
        }

        private static IllegalArgumentException invalid(String parameter, Object value, String rule) {
            return new IllegalArgumentException(parameter + " " + rule + " but was " + value);
        }
    }
}
