package org.projectbeacon.outbox.jdbi;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.projectbeacon.outbox.LedgerLease;
import org.projectbeacon.outbox.ProcessingLedger;

/**
 * Completes {@link ProcessingLedger} entries on a Jdbi {@link Handle}, in the handle's transaction,
 * so the entry becomes {@code DONE} together with the handler's effects:
 *
 * <pre>{@code
 * JdbiProcessingLedger jdbiLedger = JdbiProcessingLedger.of(ledger);
 * jdbi.useTransaction(h -> {
 *     h.execute("update jobs set status = 'COMPLETED' ...");
 *     if (!jdbiLedger.complete(h, lease)) throw new IllegalStateException("lease taken over");
 * });
 * }</pre>
 *
 * <p>It is {@link ProcessingLedger#complete(java.sql.Connection, LedgerLease)} on the handle's
 * connection, with the same contract. Kept out of {@link ProcessingLedger} so that Jdbi stays an
 * optional dependency.
 *
 * <p>Thread-safe, as the ledger it wraps.
 */
public final class JdbiProcessingLedger {

    private final ProcessingLedger ledger;

    private JdbiProcessingLedger(ProcessingLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * The adapter over {@code ledger}.
     *
     * @throws IllegalArgumentException when {@code ledger} is null
     */
    public static JdbiProcessingLedger of(ProcessingLedger ledger) {
        if (ledger == null) {
            throw new IllegalArgumentException("ledger must not be null but was null");
        }
        return new JdbiProcessingLedger(ledger);
    }

    /** The ledger this adapter completes entries of. */
    public ProcessingLedger ledger() {
        return ledger;
    }

    /**
     * Marks the lease's message {@code DONE} using the handle's connection and transaction.
     *
     * @return {@code true} when marked; {@code false} when the lease was taken over meanwhile or the
     *     entry is already done: the caller must then roll back its effects
     * @throws IllegalArgumentException when {@code handle} is null
     * @throws ConnectionException wrapping the {@link SQLException} of a failed update
     */
    public boolean complete(Handle handle, LedgerLease lease) {
        if (handle == null) {
            throw new IllegalArgumentException("handle must not be null but was null");
        }
        try {
            return ledger.complete(handle.getConnection(), lease);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }
}
