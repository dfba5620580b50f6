package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on H2 (embedded, a unit test). */
class H2ProcessingLedgerTest extends AbstractProcessingLedgerContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.h2();
    }

    @Override
    protected String lockWaits(String table) {
        return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
