package org.projectbeacon.outbox;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.outbox.internal.JdbcOutboxReconciler;
import org.projectbeacon.outbox.spi.DeliveryTracker;
import org.projectbeacon.outbox.spi.OutboxSink;

/**
 * Ends the retention of rows kept under {@link AckMode#KEEP_UNTIL_DONE}, so that no accepted message
 * is lost when the stream loses entries that were not consumed yet (Redis restarted without
 * persistence, a stream trimmed or deleted).
 *
 * <p><b>How.</b> A pass walks the kept rows published more than {@link ReconcilerConfig#grace()}
 * ago, a page of {@link ReconcilerConfig#batchSize()} at a time in sequence order. For each page it
 * first asks the sink which stream entries are gone ({@link OutboxSink#missingEntries}), then the
 * {@link DeliveryTracker} which messages are done. Done rows are deleted. Rows not done whose entry
 * is gone are made unpublished again (due now, with a history line {@code republished: stream entry
 * X was gone}) after the sink forgot their ids ({@link OutboxSink#forget}), so the publisher sends
 * them again instead of dropping them as duplicates; each counts in {@link OutboxMetrics#reconciled}.
 * Rows whose entry is still there, or unknown, wait for the next pass (or the publisher's retention).
 * Asking the sink before the tracker means a message finished between the two questions is deleted,
 * never resent.
 *
 * <p><b>Failures.</b> A failed pass changes nothing further: the database or sink error ends it, and
 * what it already deleted or republished stays so. The background pass logs the error and runs again
 * after the interval. A message is resent at least once, never lost: if the consumer finishes it
 * after the check, it is processed twice (at-least-once).
 *
 * <p>Thread-safe; passes of one reconciler never overlap. Several reconcilers (one per host) may
 * share a table: a row changes only while it still has the entry id that was checked.
 */
public interface OutboxReconciler extends AutoCloseable {

    /**
     * What one pass did.
     *
     * @param checked kept rows examined
     * @param deleted rows deleted because their message was done
     * @param republished rows made unpublished again because their entry was gone
     */
    record Result(long checked, long deleted, long republished) {}

    /** A builder reconciling {@code outbox}'s rows in {@code dataSource} against {@code sink} and {@code tracker}. */
    static Builder builder(DataSource dataSource, OutboxConfig outbox, OutboxSink sink, DeliveryTracker tracker) {
        return new Builder(dataSource, outbox, sink, tracker);
    }

    /**
     * Runs one pass now, on the calling thread.
     *
     * @throws Exception a database, tracker or sink failure, which ends the pass
     */
    Result reconcileOnce() throws Exception;

    /**
     * Schedules a pass on the injected scheduler at once and then {@link ReconcilerConfig#interval()}
     * after the end of each pass.
     *
     * @throws IllegalStateException when started already or built without a scheduler
     */
    void start();

    /** Cancels the background passes (a pass in flight finishes); the scheduler stays the caller's. */
    @Override
    void close();

    /** Builds an {@link OutboxReconciler}. Not thread-safe. */
    final class Builder {
        final DataSource dataSource;
        final OutboxConfig outbox;
        final OutboxSink sink;
        final DeliveryTracker tracker;
        ReconcilerConfig config = ReconcilerConfig.defaults();
        Clock clock;
        ScheduledExecutorService scheduler;
        OutboxMetrics metrics;

        private Builder(DataSource dataSource, OutboxConfig outbox, OutboxSink sink, DeliveryTracker tracker) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            this.sink = Objects.requireNonNull(sink, "sink");
            this.tracker = Objects.requireNonNull(tracker, "tracker");
        }

        /** The reconciler configuration; default {@link ReconcilerConfig#defaults()}. */
        public Builder config(ReconcilerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The clock the grace is measured with; default the outbox's clock, which wrote the
         * publication times.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler of background passes; needed by {@link OutboxReconciler#start()} only. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where republished rows are counted; default a private, unbound instance. */
        public Builder metrics(OutboxMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Builds the reconciler, not started; does no I/O. */
        public OutboxReconciler build() {
            return new JdbcOutboxReconciler(dataSource, outbox, sink, tracker, config,
                    clock == null ? outbox.clock() : clock, scheduler,
                    metrics == null ? OutboxMetrics.create() : metrics);
        }
    }
}
