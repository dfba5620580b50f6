package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on MariaDB. */
class MariaDbProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }

    @Override
    protected String lockWaits(String table) {
        return "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"
                + " AND trx_query LIKE 'UPDATE " + table + " %'";
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
