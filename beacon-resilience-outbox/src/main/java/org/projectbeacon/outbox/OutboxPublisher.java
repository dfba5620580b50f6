package org.projectbeacon.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;
import org.projectbeacon.outbox.internal.JdbcOutboxPublisher;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.Guard;

/**
 * Moves committed outbox rows to a sink, at least once, in batches.
 *
 * <p><b>How.</b> Each worker loops: claim up to {@link PublisherConfig#batchSize()} due rows with
 * {@code FOR UPDATE SKIP LOCKED} in a short transaction that sets a lease (owner, expiry, claim
 * token) and commits; send the batch through the sink (pipelined) under the {@link Guard}; then
 * acknowledge the sent rows in one statement that matches the claim token, so a worker whose lease
 * expired and was reclaimed cannot acknowledge. No transaction is open while sending. Any number
 * of publishers, in any number of processes, may share a table.
 *
 * <p><b>Failures.</b> A message whose send failed gets attempts + 1, its last error and a next
 * attempt after exponential backoff with jitter; after {@link PublisherConfig#maxAttempts()}, or at
 * once for a non-retryable error, it moves to the dead letter table. One message's failure never
 * holds back the rest of its batch or other keys. When the sink as a whole is unavailable the
 * batch is released without counting an attempt, the guard's breaker records the failure, and
 * workers wait (poll interval) while the breaker is open instead of spinning.
 *
 * <p><b>Wake-up.</b> With PostgreSQL, a listener thread wakes idle workers on the commit
 * notification of the outbox trigger; the poll interval remains the fallback.
 *
 * <p>Thread-safe. Lifecycle methods may be called from any thread.
 */
public interface OutboxPublisher extends AutoCloseable {

    /** A builder publishing {@code outbox}'s rows from {@code dataSource} to {@code sink}. */
    static Builder builder(DataSource dataSource, OutboxConfig outbox, OutboxSink sink) {
        return new Builder(dataSource, outbox, sink);
    }

    /**
     * Starts the workers (and the listener).
     *
     * @throws IllegalStateException when already running
     */
    void start();

    /**
     * Stops taking new batches, lets the batches in flight finish and waits up to {@code timeout}
     * for the workers to end. Rows of an unfinished batch are reclaimed after their lease.
     *
     * @return whether every worker ended in time
     */
    boolean stop(Duration timeout);

    /** Stops (waiting up to {@code timeout}) and starts again ("restart the outbox publisher worker"). */
    default boolean restart(Duration timeout) {
        boolean stopped = stop(timeout);
        start();
        return stopped;
    }

    /** Whether the workers run. */
    boolean isRunning();

    /** The current status; counts the backlog with one query. */
    PublisherStatus status();

    /** The guard the sink runs behind. */
    Guard guard();

    /** Stops with a 30 s timeout and closes resources the publisher created (not the sink). */
    @Override
    void close();

    /** Builds an {@link OutboxPublisher}. Not thread-safe. */
    final class Builder {
        final DataSource dataSource;
        final OutboxConfig outbox;
        final OutboxSink sink;
        PublisherConfig config = PublisherConfig.defaults();
        Guard guard;
        OutboxMetrics metrics;
        ThreadFactory threadFactory;

        private Builder(DataSource dataSource, OutboxConfig outbox, OutboxSink sink) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** The publisher configuration; default {@link PublisherConfig#defaults()}. */
        public Builder config(PublisherConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The guard the sink runs behind, typically {@code registry.guard("redis")}; default a guard
         * named {@code outbox-sink} of a registry the publisher owns, with
         * {@link PublisherConfig#DEFAULT_GUARD_CONFIG}.
         */
        public Builder guard(Guard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        /** Where published, failed, dead-lettered and reclaimed counts go; default a private, unbound instance. */
        public Builder metrics(OutboxMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The factory of worker and listener threads; default daemon threads named {@code beacon-outbox-*}. */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** Builds the publisher, not started. */
        public OutboxPublisher build() {
            return new JdbcOutboxPublisher(dataSource, outbox, sink, config, guard,
                    metrics == null ? OutboxMetrics.create() : metrics, threadFactory);
        }
    }
}
