package org.projectbeacon.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.projectbeacon.outbox.internal.JdbcProcessingLedger;

/**
 * The processing ledger (transactional inbox): exactly-once effects over the at-least-once delivery
 * of Redis Streams. Each message a consumer starts gets one ledger entry, {@code IN_PROGRESS} under
 * a lease and then {@code DONE} in the same database transaction as the handler's own effects.
 *
 * <pre>{@code
 * // in a StreamHandler: throwing leaves the entry pending, returning acknowledges it
 * Acquisition.Outcome outcome = ledger.runOnce(messageId, (connection, lease) -> {
 *     markJobSucceeded(connection, jobId);            // the handler's effects, same transaction
 * });
 * if (outcome == Acquisition.Outcome.LEASED) {
 *     throw new IllegalStateException("message " + messageId + " is being processed elsewhere");
 * }
 * }</pre>
 *
 * <p>Handlers that manage their own transaction use {@link #acquire(String)}, then
 * {@link #complete(Connection, LedgerLease)} inside it (rolling back when it returns {@code false};
 * on a Jdbi handle {@link org.projectbeacon.outbox.jdbi.JdbiProcessingLedger}), and
 * {@link #release(LedgerLease, Throwable)} when they fail.
 *
 * <p><b>Leases.</b> A lease lasts {@link LedgerConfig#leaseDuration()} on the database clock
 * (default) or the configured clock. A handler that dies leaves its entry {@code IN_PROGRESS}; once
 * the lease has expired the next delivery takes it over with a new token, and the dead handler's
 * token no longer completes, renews or releases anything.
 *
 * <p><b>Transactions.</b> {@link #acquire}, {@link #renew}, {@link #release}, {@link #done},
 * {@link #expiredLeases} and {@link #purgeDone} run their own short statements on a connection of
 * the ledger's {@link DataSource} (auto-commit). {@code complete} joins the caller's transaction and
 * never commits, rolls back or opens one, like {@link Outbox#enqueue(Connection, OutboxMessage)};
 * {@link #runOnce} opens one transaction for the work and the completion.
 *
 * <p><b>Concurrency.</b> Of concurrent acquirers of one message id exactly one is given
 * {@link Acquisition.Outcome#ACQUIRED}: a new entry is written insert-if-absent, and an expired lease
 * is taken over by a compare-and-set update of the entry as read.
 *
 * <p>Thread-safe; stateless apart from its configuration and the takeover count.
 */
public interface ProcessingLedger {

    /** The largest message id, in characters ({@value}; a UUID has 36). */
    int MAX_MESSAGE_ID_LENGTH = 64;

    /** A ledger over {@code config}'s table in {@code dataSource}; does no I/O until used. */
    static ProcessingLedger create(DataSource dataSource, LedgerConfig config) {
        return new JdbcProcessingLedger(dataSource, config);
    }

    /** The configuration. */
    LedgerConfig config();

    /**
     * Decides what the consumer does with one delivery of {@code messageId} (see {@link Acquisition}):
     * writes a new entry with a fresh lease, takes over an expired lease (counted in
     * {@link #takeovers()}), or reports the entry done or leased to another handler.
     *
     * @throws IllegalArgumentException when {@code messageId} is null, blank or longer than
     *     {@link #MAX_MESSAGE_ID_LENGTH}, before any SQL
     * @throws SQLException when the database cannot be reached or rejects a statement; then the
     *     caller holds no lease and leaves the delivery pending
     */
    Acquisition acquire(String messageId) throws SQLException;

    /** As {@link #acquire(String)} with the id's canonical text. */
    default Acquisition acquire(UUID messageId) throws SQLException {
        if (messageId == null) {
            throw new IllegalArgumentException("messageId must not be null but was null");
        }
        return acquire(messageId.toString());
    }

    /**
     * Marks the lease's message {@code DONE} using the caller's connection and transaction, so it
     * commits and rolls back with the handler's effects. Fenced by the lease token.
     *
     * @return {@code true} when marked; {@code false} when the lease was taken over meanwhile or the
     *     entry is already done: the caller must then roll back its effects
     * @throws SQLException when the database rejects the update; the caller decides about its transaction
     */
    boolean complete(Connection connection, LedgerLease lease) throws SQLException;

    /**
     * The handler's part of {@link #runOnce}: writes the message's effects on {@code connection}, in
     * the transaction that then marks the message done. Must not commit or roll back.
     */
    @FunctionalInterface
    interface Work {
        /** Writes the effects of the message {@code lease} is for; throw to fail this attempt. */
        void run(Connection connection, LedgerLease lease) throws Exception;
    }

    /**
     * Processes {@code messageId} at most once to a committed end: acquires it and, when acquired,
     * runs {@code work} and {@link #complete(Connection, LedgerLease)} in one transaction on a
     * connection of the ledger's data source. The result tells the consumer what to do with the
     * delivery: {@link Acquisition.Outcome#ACQUIRED} (the effects are committed now) and
     * {@link Acquisition.Outcome#ALREADY_DONE} mean acknowledge; {@link Acquisition.Outcome#LEASED}
     * (another handler holds the message, or took it over while {@code work} ran, whose effects were
     * then rolled back) means leave it pending. {@code work} runs only when acquired.
     *
     * @throws Exception what {@code work} threw, after rolling its transaction back and releasing
     *     the lease with it as the last error (a failed release is added as suppressed), so the next
     *     delivery retries at once; or the {@link SQLException} of the ledger's own statements
     */
    Acquisition.Outcome runOnce(String messageId, Work work) throws Exception;

    /**
     * Extends a lease its holder still owns by {@link LedgerConfig#leaseDuration()} from now, for
     * handlers that run longer than one lease. A lease that has expired but was not taken over can
     * still be renewed.
     *
     * @return the renewed lease, or empty when the lease was taken over, released or completed
     * @throws SQLException when the database cannot be reached; the lease is unchanged then
     */
    Optional<LedgerLease> renew(LedgerLease lease) throws SQLException;

    /**
     * Ends a failed attempt: the entry stays {@code IN_PROGRESS} with its lease expired now and
     * {@code error}'s class and message kept as its last error, so the next delivery acquires it at
     * once (not counted as a takeover). Fenced by the lease token.
     *
     * @param error the failure, or null when none is known
     * @return whether the lease was still held and is now released
     * @throws SQLException when the database cannot be reached; the lease then expires by itself
     */
    boolean release(LedgerLease lease, Throwable error) throws SQLException;

    /**
     * Which of {@code messageIds} are {@code DONE}: for the outbox reconciler, which republishes only
     * messages whose stream entry was lost before they were done. One query per 500 ids.
     *
     * @throws SQLException when the database cannot be reached or rejects the query; fits
     *     {@link org.projectbeacon.outbox.spi.DeliveryTracker} as {@code ledger::done}
     */
    Set<UUID> done(Collection<UUID> messageIds) throws SQLException;

    /** The number of entries in progress whose lease has expired without a release (handlers that died). */
    long expiredLeases() throws SQLException;

    /** Deletes the entries done before {@code before}; returns how many. Their messages then count as new. */
    int purgeDone(Instant before) throws SQLException;

    /** Leases taken over from expired ones by this ledger instance since it was created. */
    long takeovers();

    /**
     * Creates the table and indexes if they do not exist, by running the dialect's migration script
     * with the table prefix. Idempotent; commits on its own connection. Users of Flyway can instead
     * add {@code classpath:db/beacon-ledger/<dialect>} to their locations with the placeholder
     * {@code prefix}.
     */
    default void migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            migrate(c);
        }
    }

    /** As {@link #migrate(DataSource)}, on the given connection; commits when auto-commit is off. */
    void migrate(Connection connection) throws SQLException;
}
