package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on MariaDB. */
class MariaDbProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }

    @Override
    String lockWaits(String table) {
        return "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"
                + " AND trx_query LIKE 'UPDATE " + table + " %'";
    }
}
