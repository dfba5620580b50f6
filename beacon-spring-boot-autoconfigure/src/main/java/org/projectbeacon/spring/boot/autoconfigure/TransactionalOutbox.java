package org.projectbeacon.spring.boot.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxMessage;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * {@link Outbox#enqueue(Connection, OutboxMessage)} on the connection of the caller's Spring
 * transaction, so a message commits or rolls back with the business change written in the same
 * {@code @Transactional} method (through {@code JdbcTemplate}, Spring Data JDBC or JPA on the same
 * {@code DataSource} with a {@code DataSourceTransactionManager}/{@code JpaTransactionManager}).
 *
 * <p>Contract: inside a transaction the insert uses the transaction's connection and becomes visible
 * to the publisher only at commit; a rollback leaves nothing to publish. Outside a transaction the
 * insert runs on a connection of its own in auto-commit mode, as any statement would. Never commits,
 * rolls back or opens a transaction itself.
 *
 * <p>Failure behaviour: an invalid message throws {@link IllegalArgumentException} naming the field
 * before any SQL; a database error is rethrown as {@link OutboxWriteException} (a runtime exception,
 * so Spring's default rollback rules roll the transaction back).
 *
 * <p>Thread-safe.
 */
public final class TransactionalOutbox {

    private final Outbox outbox;
    private final DataSource dataSource;

    /**
     * An outbox writing through {@code dataSource}'s transaction-bound connections.
     *
     * @param outbox the outbox
     * @param dataSource the DataSource the application's transaction manager manages
     */
    public TransactionalOutbox(Outbox outbox, DataSource dataSource) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Inserts {@code message} in the current transaction.
     *
     * @param message the message
     * @return {@code true} if written, {@code false} if a row with this id already exists
     * @throws OutboxWriteException when the database rejects the insert
     */
    public boolean enqueue(OutboxMessage message) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return outbox.enqueue(connection, message);
        } catch (SQLException e) {
            throw new OutboxWriteException("outbox insert failed for message " + message.id() + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** The outbox written to. */
    public Outbox outbox() {
        return outbox;
    }

    /** The database refused an outbox insert; the caller's transaction rolls back by Spring's rules. */
    public static final class OutboxWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutboxWriteException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
