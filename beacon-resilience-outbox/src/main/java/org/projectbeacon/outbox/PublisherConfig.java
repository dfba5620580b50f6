package org.projectbeacon.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.projectbeacon.resilience.internal.JitteredBackoff;

/**
 * How an {@link OutboxPublisher} claims, sends, acknowledges and retries.
 *
 * <p><b>Lease clock.</b> By default a claim writes and compares lease expiry with the database's
 * clock, one clock for every publisher: a host whose clock runs ahead never takes over a live lease,
 * and one that runs behind never holds a lease longer than its duration. {@link Builder#leaseClock}
 * switches to an application clock (tests move it by hand), which every host sharing the table must
 * then keep synchronised.
 *
 * <p>Immutable and thread-safe. The builder validates each value as it is set and throws
 * {@link IllegalArgumentException} naming the parameter and the rejected value.
 */
public final class PublisherConfig {

    /** Default {@value}: rows claimed per batch (one claim transaction, one pipelined send, one acknowledgement). */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Default {@value}: worker threads per publisher. */
    public static final int DEFAULT_WORKERS = 1;
    /** Default 1 s: how long an idle worker waits before polling again (the fallback to LISTEN/NOTIFY). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /**
     * Default 1 s: while a backlog drains, how long the workers' claims may start at the claim floor
     * (see {@link #fullClaimInterval()}) before a claim looks at the whole table again.
     */
    public static final Duration DEFAULT_FULL_CLAIM_INTERVAL = Duration.ofSeconds(1);
    /** Default 30 s: how long a claim is leased before another worker may reclaim it. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
    /** Default {@value}: attempts before a message is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default 1 s: the wait after the first failed attempt, before jitter. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    /** Default {@value}: each later wait is the previous one times this. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    /** Default 5 min: no wait is longer. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(5);
    /** Default {@value}: each wait is drawn uniformly from wait × [1 − j, 1 + j]. */
    public static final double DEFAULT_JITTER = 0.5;
    /** Default {@link AckMode#DELETE}. */
    public static final AckMode DEFAULT_ACK_MODE = AckMode.DELETE;
    /**
     * Default 7 days: how long published rows are kept under {@link AckMode#MARK_PUBLISHED}, and at
     * most under {@link AckMode#KEEP_UNTIL_DONE} (whether their message is done or not).
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** Default {@value}: use PostgreSQL LISTEN/NOTIFY to wake idle workers when the dialect has it. */
    public static final boolean DEFAULT_LISTEN_NOTIFY = true;
    /**
     * Default {@value}: the publisher's own bookkeeping (claims, acknowledgements, retry records)
     * commits without waiting for the write-ahead log flush where the dialect allows it.
     */
    public static final boolean DEFAULT_FAST_BOOKKEEPING_COMMIT = true;
    /**
     * The guard of a publisher built without one: no retry (the next claim is the retry, and a
     * retried batch would hold its lease longer), a breaker opening at 50 % failures over the last 10
     * calls once 5 were made, open for 5 s, and a 30 s timeout per send.
     */
    public static final org.projectbeacon.resilience.GuardConfig DEFAULT_GUARD_CONFIG =
            org.projectbeacon.resilience.GuardConfig.builder()
                    .retryMaxAttempts(1)
                    .slidingWindowSize(10)
                    .minimumNumberOfCalls(5)
                    .waitDurationInOpenState(Duration.ofSeconds(5))
                    .timeout(Duration.ofSeconds(30))
                    .build();
    /** Default: {@link NonRetryableException} and {@link IllegalArgumentException} are not retried. */
    public static final Predicate<Throwable> DEFAULT_NON_RETRYABLE =
            e -> e instanceof NonRetryableException || e instanceof IllegalArgumentException;

    private final int batchSize;
    private final int workers;
    private final Duration pollInterval;
    private final Duration fullClaimInterval;
    private final Duration leaseDuration;
    private final int maxAttempts;
    private final Duration backoffInitial;
    private final double backoffMultiplier;
    private final Duration backoffMax;
    private final double jitter;
    private final AckMode ackMode;
    private final Duration retention;
    private final boolean listenNotify;
    private final boolean fastBookkeepingCommit;
    private final Predicate<Throwable> nonRetryable;
    private final String owner;
    private final Clock leaseClock;
    private final JitteredBackoff jitteredBackoff;

    private PublisherConfig(Builder b) {
        batchSize = b.batchSize;
        workers = b.workers;
        pollInterval = b.pollInterval;
        fullClaimInterval = b.fullClaimInterval;
        leaseDuration = b.leaseDuration;
        maxAttempts = b.maxAttempts;
        backoffInitial = b.backoffInitial;
        backoffMultiplier = b.backoffMultiplier;
        backoffMax = b.backoffMax;
        jitter = b.jitter;
        ackMode = b.ackMode;
        retention = b.retention;
        listenNotify = b.listenNotify;
        fastBookkeepingCommit = b.fastBookkeepingCommit;
        nonRetryable = b.nonRetryable;
        owner = b.owner;
        leaseClock = b.leaseClock;
        jitteredBackoff = new JitteredBackoff(backoffInitial, backoffMultiplier, jitter, backoffMax);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static PublisherConfig defaults() {
        return builder().build();
    }

    /** Rows per claimed batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Worker threads. */
    public int workers() {
        return workers;
    }

    /** Idle poll interval. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * While a backlog drains, a worker's claim starts at the highest first sequence number of the
     * workers' claims since the last full claim (the claim floor) instead of the table's start: the
     * rows a drain deleted stay in the primary key as dead entries until a vacuum, and a claim from
     * the start steps over all of them (about 7 ms per claim after 50,000 rows on the benchmark
     * machine, docs/BENCHMARKS.md). Rows below the floor that become due meanwhile (a retry's backoff
     * ending, a released batch, a row whose inserting transaction committed late, an expired lease)
     * are claimed by full claims: one at least every this interval (a monotonic clock), and one after
     * any claim that found less than a full batch (so an outbox that keeps up always claims fully). A
     * full claim takes a batch, so more due rows below the floor than a batch take one interval per
     * batch. The per-key order never depends on it.
     */
    public Duration fullClaimInterval() {
        return fullClaimInterval;
    }

    /** Lease length of a claim. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** Attempts before dead-lettering. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** First backoff. */
    public Duration backoffInitial() {
        return backoffInitial;
    }

    /** Backoff multiplier. */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** Longest backoff. */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** Jitter factor. */
    public double jitter() {
        return jitter;
    }

    /** What acknowledging does to a row. */
    public AckMode ackMode() {
        return ackMode;
    }

    /**
     * Retention of published rows under {@link AckMode#MARK_PUBLISHED}, and the longest a row is kept
     * under {@link AckMode#KEEP_UNTIL_DONE}: idle workers delete published rows older than this.
     */
    public Duration retention() {
        return retention;
    }

    /** Whether LISTEN/NOTIFY wake-up is used where available. */
    public boolean listenNotify() {
        return listenNotify;
    }

    /**
     * Whether claims, acknowledgements and retry records commit without waiting for the database's
     * log flush, where the dialect allows it (PostgreSQL: the claim and the acknowledgement join
     * {@code set_config('synchronous_commit', 'off', true)} into their own auto-commit statement,
     * retry records run after {@code SET LOCAL synchronous_commit = off}; for those commits only).
     * Enqueues are the caller's transactions and dead-lettering stays durable either way. A database
     * crash can forget only the last such commits: a forgotten claim or retry record makes the row
     * claimable again, a forgotten acknowledgement makes it sent again, which broker de-duplication
     * absorbs (without it the message is delivered twice, within the at-least-once contract). Nothing
     * is lost.
     */
    public boolean fastBookkeepingCommit() {
        return fastBookkeepingCommit;
    }

    /** Which errors are dead-lettered at once. */
    public Predicate<Throwable> nonRetryable() {
        return nonRetryable;
    }

    /** The lease owner name of this publisher's workers (suffixed with the worker number). */
    public String owner() {
        return owner;
    }

    /**
     * The application clock of lease times, or empty when leases use the database's clock (the
     * default; see the class comment).
     */
    public Optional<Clock> leaseClock() {
        return Optional.ofNullable(leaseClock);
    }

    /**
     * The wait after {@code attempts} failed attempts, before jitter:
     * {@code min(backoffMax, backoffInitial × multiplier^(attempts − 1))}.
     */
    public Duration backoff(int attempts) {
        return Duration.ofMillis(jitteredBackoff.baseMillis(Math.max(1, attempts)));
    }

    /**
     * The wait after {@code attempts} failed attempts with jitter: drawn uniformly from
     * {@link #backoff(int)} × [1 − jitter, 1 + jitter], by core's jittered backoff (jitter applied
     * after the cap, so capped retries stay spread out); at least 1 ms.
     */
    public Duration jitteredBackoff(int attempts) {
        return Duration.ofMillis(jitteredBackoff.apply(Math.max(1, attempts)));
    }

    /** Builds a {@link PublisherConfig}. Not thread-safe. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int workers = DEFAULT_WORKERS;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration fullClaimInterval = DEFAULT_FULL_CLAIM_INTERVAL;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private double jitter = DEFAULT_JITTER;
        private AckMode ackMode = DEFAULT_ACK_MODE;
        private Duration retention = DEFAULT_RETENTION;
        private boolean listenNotify = DEFAULT_LISTEN_NOTIFY;
        private boolean fastBookkeepingCommit = DEFAULT_FAST_BOOKKEEPING_COMMIT;
        private Predicate<Throwable> nonRetryable = DEFAULT_NON_RETRYABLE;
        private String owner = defaultOwner();
        private Clock leaseClock;

        private Builder() {}

        private static String defaultOwner() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
            return host + ":" + ProcessHandle.current().pid();
        }

        /** Rows per batch, 1..10000; default {@value PublisherConfig#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be in 1..10000 but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Worker threads, 1..64; default {@value PublisherConfig#DEFAULT_WORKERS}. */
        public Builder workers(int workers) {
            if (workers < 1 || workers > 64) {
                throw new IllegalArgumentException("workers must be in 1..64 but was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** Idle poll interval, positive; default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * See {@link PublisherConfig#fullClaimInterval()}; zero makes every claim a full one (no
         * claim starts at a floor). Not negative; default 1 s.
         */
        public Builder fullClaimInterval(Duration fullClaimInterval) {
            if (fullClaimInterval == null || fullClaimInterval.isNegative()) {
                throw new IllegalArgumentException("fullClaimInterval must be zero or positive but was " + fullClaimInterval);
            }
            this.fullClaimInterval = fullClaimInterval;
            return this;
        }

        /** Lease duration, positive; default 30 s. */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = positive("leaseDuration", leaseDuration);
            return this;
        }

        /** Attempts before dead-lettering, at least 1; default {@value PublisherConfig#DEFAULT_MAX_ATTEMPTS}. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** First backoff, positive; default 1 s. */
        public Builder backoffInitial(Duration backoffInitial) {
            this.backoffInitial = positive("backoffInitial", backoffInitial);
            return this;
        }

        /** Backoff multiplier, at least 1; default {@value PublisherConfig#DEFAULT_BACKOFF_MULTIPLIER}. */
        public Builder backoffMultiplier(double backoffMultiplier) {
            if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
                throw new IllegalArgumentException("backoffMultiplier must be at least 1 but was " + backoffMultiplier);
            }
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        /** Longest backoff, positive; default 5 min. */
        public Builder backoffMax(Duration backoffMax) {
            this.backoffMax = positive("backoffMax", backoffMax);
            return this;
        }

        /** Jitter factor in [0, 1); default {@value PublisherConfig#DEFAULT_JITTER}. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter < 1.0)) {
                throw new IllegalArgumentException("jitter must be in [0, 1) but was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * What acknowledging does; default {@link AckMode#DELETE}. {@link AckMode#KEEP_UNTIL_DONE}
         * needs an {@link OutboxReconciler} to delete rows before the retention.
         */
        public Builder ackMode(AckMode ackMode) {
            this.ackMode = Objects.requireNonNull(ackMode, "ackMode");
            return this;
        }

        /** Retention of published rows, positive; default 7 days. */
        public Builder retention(Duration retention) {
            this.retention = positive("retention", retention);
            return this;
        }

        /** Whether to use LISTEN/NOTIFY where available; default true. */
        public Builder listenNotify(boolean listenNotify) {
            this.listenNotify = listenNotify;
            return this;
        }

        /**
         * Whether the publisher's bookkeeping commits skip the log flush where the dialect allows it;
         * default {@value PublisherConfig#DEFAULT_FAST_BOOKKEEPING_COMMIT}. See
         * {@link PublisherConfig#fastBookkeepingCommit()}.
         */
        public Builder fastBookkeepingCommit(boolean fastBookkeepingCommit) {
            this.fastBookkeepingCommit = fastBookkeepingCommit;
            return this;
        }

        /** Which errors are not retried; default {@link PublisherConfig#DEFAULT_NON_RETRYABLE}. */
        public Builder nonRetryable(Predicate<Throwable> nonRetryable) {
            this.nonRetryable = Objects.requireNonNull(nonRetryable, "nonRetryable");
            return this;
        }

        /** The lease owner name, 1..150 characters; default {@code <host>:<pid>}. */
        public Builder owner(String owner) {
            if (owner == null || owner.isBlank() || owner.length() > 150) {
                throw new IllegalArgumentException("owner must be 1..150 non-blank characters but was "
                        + (owner == null ? "null" : "'" + owner + "'"));
            }
            this.owner = owner;
            return this;
        }

        /**
         * Keeps lease times on {@code leaseClock} instead of the database's clock (see the class
         * comment); default none, the database's clock.
         */
        public Builder leaseClock(Clock leaseClock) {
            this.leaseClock = Objects.requireNonNull(leaseClock, "leaseClock");
            return this;
        }

        /** Keeps lease times on the database's clock, the default. */
        public Builder databaseLeaseClock() {
            this.leaseClock = null;
            return this;
        }

        /** Builds the configuration. */
        public PublisherConfig build() {
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new IllegalArgumentException("backoffMax must not be shorter than backoffInitial (" + backoffInitial
                        + ") but was " + backoffMax);
            }
            return new PublisherConfig(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }
    }
}
