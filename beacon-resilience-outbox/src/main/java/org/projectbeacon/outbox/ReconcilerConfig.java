package org.projectbeacon.outbox;

import java.time.Duration;

/**
 * How an {@link OutboxReconciler} walks the kept rows: how often, how old a publication must be
 * before it is checked, and how many rows one page holds.
 *
 * <p>Immutable and thread-safe. The builder validates each value as it is set and throws
 * {@link IllegalArgumentException} naming the parameter and the rejected value.
 */
public final class ReconcilerConfig {

    /** Default 30 s: the delay between the end of one background pass and the start of the next. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /**
     * Default 30 s: rows published less than this long ago are left alone, so a consumer has had
     * time to finish them and a stream that is still being written is not second-guessed.
     */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    /** Default {@value}: rows per page (one select, one existence check per stream, one tracker call). */
    public static final int DEFAULT_BATCH_SIZE = 500;

    private final Duration interval;
    private final Duration grace;
    private final int batchSize;

    private ReconcilerConfig(Builder b) {
        interval = b.interval;
        grace = b.grace;
        batchSize = b.batchSize;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static ReconcilerConfig defaults() {
        return builder().build();
    }

    /** Delay between background passes. */
    public Duration interval() {
        return interval;
    }

    /** How long after its publication a row is first checked. */
    public Duration grace() {
        return grace;
    }

    /** Rows per page. */
    public int batchSize() {
        return batchSize;
    }

    /** Builds a {@link ReconcilerConfig}. Not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration grace = DEFAULT_GRACE;
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder() {}

        /** Delay between background passes, positive; default 30 s. */
        public Builder interval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive but was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Grace after publication, zero or more; default 30 s. */
        public Builder grace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("grace must not be negative but was " + grace);
            }
            this.grace = grace;
            return this;
        }

        /** Rows per page, 1..10000; default {@value ReconcilerConfig#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be in 1..10000 but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Builds the configuration. */
        public ReconcilerConfig build() {
            return new ReconcilerConfig(this);
        }
    }
}
