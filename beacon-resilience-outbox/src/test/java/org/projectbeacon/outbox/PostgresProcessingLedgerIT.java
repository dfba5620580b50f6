package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on PostgreSQL. */
class PostgresProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }
}
