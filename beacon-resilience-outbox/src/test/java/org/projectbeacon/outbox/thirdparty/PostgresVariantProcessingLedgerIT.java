package org.projectbeacon.outbox.thirdparty;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.AbstractProcessingLedgerContract;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;

/** A dialect of one class passes the ProcessingLedger contract from outside the outbox's packages. */
class PostgresVariantProcessingLedgerIT extends AbstractProcessingLedgerContract {

    @Override
    protected OutboxDialect dialect() {
        return new PostgresVariantDialect();
    }

    @Override
    protected DataSource dataSource(String name) {
        TestServices.requirePostgres();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestServices.postgresUrl());
        return ds;
    }

    @Override
    protected String lockWaits(String table) {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE " + table + " %'";
    }
}
