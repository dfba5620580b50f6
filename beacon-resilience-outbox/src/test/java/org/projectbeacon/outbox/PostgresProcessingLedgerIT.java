package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on PostgreSQL. */
class PostgresProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }

    @Override
    String lockWaits(String table) {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE " + table + " %'";
    }
}
