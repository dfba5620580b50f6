package org.projectbeacon.outbox.spi;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Tells which messages their consumer has finished, so an
 * {@link org.projectbeacon.outbox.OutboxReconciler} may delete their outbox rows, and send the
 * others again when their stream entries were lost. A consumer's processing ledger fits as
 * {@code ledger::done}.
 *
 * <p>Must be thread-safe. A message reported done is never sent again, so an implementation must
 * only report messages whose processing is finished for good (committed).
 */
@FunctionalInterface
public interface DeliveryTracker {

    /**
     * The messages among {@code messageIds} that are done; one query whatever the number of ids.
     *
     * @return a subset of {@code messageIds}
     * @throws SQLException when the answer could not be read (the reconciler then changes nothing)
     */
    Set<UUID> done(Collection<UUID> messageIds) throws SQLException;
}
