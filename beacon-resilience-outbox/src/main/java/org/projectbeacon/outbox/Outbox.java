package org.projectbeacon.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.projectbeacon.outbox.internal.JdbcOutbox;

/**
 * Writes messages into the outbox inside the caller's transaction, and creates the tables.
 *
 * <p><b>Transactions.</b> {@code enqueue} never commits, rolls back or opens a transaction: the row
 * becomes visible to publishers when the caller commits and disappears with a rollback. With
 * auto-commit on, the insert commits by itself, as any statement would.
 *
 * <p><b>Duplicate ids.</b> When a row with the message's id is still in the outbox (unpublished, or
 * kept as published under {@link AckMode#MARK_PUBLISHED}), {@code enqueue} writes nothing, raises no
 * error (the caller's transaction stays usable) and returns {@code false}. After the row is gone,
 * the same id is accepted again; the Redis sink's de-duplication then keeps the stream free of a
 * second entry for as long as its TTL.
 *
 * <p><b>Validation.</b> An invalid message is rejected with {@link IllegalArgumentException} naming
 * the field before any SQL runs, so nothing is half-written.
 *
 * <p><b>Jdbi.</b> {@link org.projectbeacon.outbox.jdbi.JdbiOutbox} enqueues on a Jdbi handle; it is
 * a separate adapter so that {@code jdbi3-core} stays optional (an overload taking a Jdbi type here
 * would make javac need Jdbi to compile any {@code enqueue} call).
 *
 * <p>Thread-safe; stateless apart from its configuration.
 */
public interface Outbox {

    /** An outbox over the tables {@code config} names. */
    static Outbox create(OutboxConfig config) {
        return new JdbcOutbox(config);
    }

    /** The configuration. */
    OutboxConfig config();

    /**
     * Inserts {@code message} using the caller's JDBC connection and transaction.
     *
     * @return {@code true} if written, {@code false} if a row with this id already exists
     * @throws IllegalArgumentException when the payload exceeds {@link OutboxConfig#maxPayloadBytes()}
     * @throws SQLException when the database rejects the insert; the caller decides about its transaction
     */
    boolean enqueue(Connection connection, OutboxMessage message) throws SQLException;

    /**
     * Creates the tables, indexes (and with PostgreSQL the notify trigger) if they do not exist, by
     * running the dialect's migration scripts with the table prefix. Idempotent; commits on its own
     * connection. Users of Flyway can instead add {@code classpath:db/beacon-outbox/<dialect>} to
     * their locations with the placeholder {@code prefix}.
     */
    void migrate(DataSource dataSource) throws SQLException;

    /** As {@link #migrate(DataSource)}, on the given connection; commits when auto-commit is off. */
    void migrate(Connection connection) throws SQLException;
}
