package org.projectbeacon.outbox.jdbi;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxMessage;

/**
 * Enqueues into an {@link Outbox} on a Jdbi {@link Handle}, in the handle's transaction:
 *
 * <pre>{@code
 * JdbiOutbox jdbiOutbox = JdbiOutbox.of(outbox);
 * jdbi.useTransaction(h -> {
 *     h.execute("insert into jobs ...");
 *     jdbiOutbox.enqueue(h, OutboxMessage.builder("jobs").key(jobId).payload(json).build());
 * });
 * }</pre>
 *
 * <p>It is {@link Outbox#enqueue(java.sql.Connection, OutboxMessage)} on the handle's connection, with
 * the same contract: never commits, rolls back or opens a transaction, and returns {@code false} for a
 * duplicate id. Kept out of {@link Outbox} so that Jdbi stays an optional dependency (javac would
 * need Jdbi on the classpath to resolve an {@code enqueue(Handle, ...)} overload next to
 * {@code enqueue(Connection, ...)}).
 *
 * <p>Thread-safe, as the outbox it wraps.
 */
public final class JdbiOutbox {

    private final Outbox outbox;

    private JdbiOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * The adapter over {@code outbox}.
     *
     * @throws IllegalArgumentException when {@code outbox} is null
     */
    public static JdbiOutbox of(Outbox outbox) {
        if (outbox == null) {
            throw new IllegalArgumentException("outbox must not be null but was null");
        }
        return new JdbiOutbox(outbox);
    }

    /** The outbox this adapter writes to. */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * Inserts {@code message} using the handle's connection and transaction.
     *
     * @return {@code true} if written, {@code false} if a row with this id already exists
     * @throws IllegalArgumentException when {@code handle} is null or the message is invalid, before any SQL
     * @throws ConnectionException wrapping the {@link SQLException} of a failed insert; the caller
     *     decides about its transaction
     */
    public boolean enqueue(Handle handle, OutboxMessage message) {
        if (handle == null) {
            throw new IllegalArgumentException("handle must not be null but was null");
        }
        try {
            return outbox.enqueue(handle.getConnection(), message);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }
}
