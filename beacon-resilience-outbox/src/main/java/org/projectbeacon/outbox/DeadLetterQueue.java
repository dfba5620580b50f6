package org.projectbeacon.outbox;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's view of the dead letter queue: review, find failure patterns, requeue what can be
 * recovered, purge what cannot, and republish critical messages at once.
 *
 * <p>Each operation runs in its own short transaction on a connection from the data source. Thread-safe.
 * {@link SQLException}s reach the caller; a failed operation leaves both tables as they were.
 */
public interface DeadLetterQueue {

    /** The queue of {@code config}'s tables; {@link #republish} sends through {@code sink}. */
    static DeadLetterQueue create(javax.sql.DataSource dataSource, OutboxConfig config,
            org.projectbeacon.outbox.spi.OutboxSink sink) {
        return new org.projectbeacon.outbox.internal.JdbcDeadLetterQueue(dataSource, config, sink, null);
    }

    /**
     * The queue of {@code config}'s tables that also counts every consumer dead letter {@link #add added} in
     * {@code metrics}' {@code outbox_dead_lettered_total}, the counter the publisher's own dead letters go to,
     * so that one figure tells how many messages on-call has to look at.
     */
    static DeadLetterQueue create(javax.sql.DataSource dataSource, OutboxConfig config,
            org.projectbeacon.outbox.spi.OutboxSink sink, OutboxMetrics metrics) {
        return new org.projectbeacon.outbox.internal.JdbcDeadLetterQueue(dataSource, config, sink,
                java.util.Objects.requireNonNull(metrics, "metrics"));
    }

    /** Largest page size accepted by {@link #list}: {@value}. */
    int MAX_PAGE_SIZE = 1000;

    /**
     * One page of the dead letters matching {@code filter}, newest first.
     *
     * @param page zero-based page number
     * @param size page size, 1..{@value #MAX_PAGE_SIZE}
     */
    List<DeadLetter> list(DeadLetterFilter filter, int page, int size) throws SQLException;

    /** The dead letter with this id, if any. */
    Optional<DeadLetter> find(UUID id) throws SQLException;

    /** How many dead letters match {@code filter}. */
    long count(DeadLetterFilter filter) throws SQLException;

    /** The failure patterns among the matching dead letters, most frequent first. */
    List<FailurePattern> failurePatterns(DeadLetterFilter filter) throws SQLException;

    /**
     * Moves the dead letter back into the outbox with attempts reset to zero, available at once; its
     * history gains a line describing the failure. Returns whether it existed.
     */
    boolean requeue(UUID id) throws SQLException;

    /** Requeues every matching dead letter, in chunks; returns how many. */
    long requeue(DeadLetterFilter filter) throws SQLException;

    /** Deletes every matching dead letter; returns how many. */
    long purge(DeadLetterFilter filter) throws SQLException;

    /**
     * Sends the dead letter through the sink now, bypassing the outbox, and removes it from the queue
     * when the sink accepted it ("manually republish critical jobs").
     *
     * @return the sink's result; {@link SendResult#isSuccess()} tells whether it was sent
     * @throws java.util.NoSuchElementException when no dead letter has this id
     */
    SendResult republish(UUID id) throws SQLException;

    /**
     * Dead-letters a message a consumer gave up on after its own attempts (a job that keeps failing),
     * so that every message on-call must look at is in this one queue: listed, grouped into failure
     * patterns, requeued (back into the outbox, to be published again) or purged like the ones the
     * publisher gave up on.
     *
     * <p>The message was delivered once already, so the broker's de-duplication knows its id and
     * would drop a requeued copy. The dead letter therefore gets a fresh id and keeps the original in
     * the header {@value #ORIGINAL_ID_HEADER}; consumers must be idempotent by their own key (a job
     * id in the payload), as at-least-once delivery requires anyway.
     *
     * @return the id of the new dead letter
     * @throws SQLException when the database cannot be reached; nothing is written then
     */
    UUID add(OutboxRecord message, int attempts, Throwable error) throws SQLException;

    /** The header that keeps a consumer dead letter's original message id. */
    String ORIGINAL_ID_HEADER = "beacon-original-id";
}
