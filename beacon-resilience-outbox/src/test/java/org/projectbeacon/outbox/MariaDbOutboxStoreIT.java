package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The store contract on MariaDb. */
class MariaDbOutboxStoreIT extends AbstractOutboxStoreContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }
}
