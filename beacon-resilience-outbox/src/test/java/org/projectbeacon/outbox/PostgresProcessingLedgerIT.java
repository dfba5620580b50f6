package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on PostgreSQL. */
class PostgresProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }

    @Override
    protected String lockWaits(String table) {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE " + table + " %'";
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
