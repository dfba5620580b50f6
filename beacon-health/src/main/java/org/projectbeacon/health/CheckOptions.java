package org.projectbeacon.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How the aggregator runs one check: whether it is critical, its timeout, its interval, and flap
 * damping (consecutive failures before DOWN, consecutive successes before coming back).
 *
 * <p>Immutable; built with {@link #builder()}, which validates eagerly and names the parameter and
 * value it rejects.
 */
public final class CheckOptions {

    /** Default {@value}: a DOWN critical check takes the service DOWN. */
    public static final boolean DEFAULT_CRITICAL = true;
    /** Default 2 s: a run that takes longer is DOWN with a timeout error. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default 5 s between the end of a run and the start of the next. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default {@value}: consecutive failed runs before a healthy check is reported DOWN. */
    public static final int DEFAULT_FAILURES_TO_DOWN = 2;
    /** Default {@value}: consecutive good runs before a DOWN check is reported healthy again. */
    public static final int DEFAULT_SUCCESSES_TO_UP = 2;

    private static final CheckOptions DEFAULTS = builder().build();

    private final boolean critical;
    private final Duration timeout;
    private final Duration interval;
    private final int failuresToDown;
    private final int successesToUp;

    private CheckOptions(Builder b) {
        this.critical = b.critical;
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.failuresToDown = b.failuresToDown;
        this.successesToUp = b.successesToUp;
    }

    /** Every default. */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a DOWN result takes the whole service DOWN (otherwise DEGRADED). */
    public boolean critical() {
        return critical;
    }

    /** The longest a run may take. */
    public Duration timeout() {
        return timeout;
    }

    /** The pause between runs. */
    public Duration interval() {
        return interval;
    }

    /** Consecutive failed runs before a healthy check is reported DOWN. */
    public int failuresToDown() {
        return failuresToDown;
    }

    /** Consecutive good runs before a DOWN check is reported healthy. */
    public int successesToUp() {
        return successesToUp;
    }

    /** Builds {@link CheckOptions}; not thread-safe. */
    public static final class Builder {
        private boolean critical = DEFAULT_CRITICAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration interval = DEFAULT_INTERVAL;
        private int failuresToDown = DEFAULT_FAILURES_TO_DOWN;
        private int successesToUp = DEFAULT_SUCCESSES_TO_UP;

        private Builder() {}

        /** Whether the check is critical. */
        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        /** The longest a run may take: at least 1 ms. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive("timeout", timeout);
            return this;
        }

        /** The pause between runs: at least 1 ms. */
        public Builder interval(Duration interval) {
            this.interval = positive("interval", interval);
            return this;
        }

        /** Consecutive failed runs before DOWN: at least 1. */
        public Builder failuresToDown(int failuresToDown) {
            if (failuresToDown < 1) {
                throw new IllegalArgumentException("failuresToDown must be at least 1 but was " + failuresToDown);
            }
            this.failuresToDown = failuresToDown;
            return this;
        }

        /** Consecutive good runs before coming back: at least 1. */
        public Builder successesToUp(int successesToUp) {
            if (successesToUp < 1) {
                throw new IllegalArgumentException("successesToUp must be at least 1 but was " + successesToUp);
            }
            this.successesToUp = successesToUp;
            return this;
        }

        /** Builds the options. */
        public CheckOptions build() {
            return new CheckOptions(this);
        }

        private static Duration positive(String parameter, Duration value) {
            if (value == null || value.toMillis() < 1) {
                throw new IllegalArgumentException(parameter + " must be at least 1ms but was " + value);
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return "CheckOptions{critical=" + critical + ", timeout=" + timeout + ", interval=" + interval
                + ", failuresToDown=" + failuresToDown + ", successesToUp=" + successesToUp + '}';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckOptions other && critical == other.critical && timeout.equals(other.timeout)
                && interval.equals(other.interval) && failuresToDown == other.failuresToDown
                && successesToUp == other.successesToUp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(critical, timeout, interval, failuresToDown, successesToUp);
    }
}
