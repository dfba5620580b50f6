package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The processing ledger contract on MariaDB. */
class MariaDbProcessingLedgerIT extends AbstractProcessingLedgerContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }
}
