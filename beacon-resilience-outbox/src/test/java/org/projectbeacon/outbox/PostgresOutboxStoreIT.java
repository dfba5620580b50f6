package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The store contract on Postgres. */
class PostgresOutboxStoreIT extends AbstractOutboxStoreContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }
}
