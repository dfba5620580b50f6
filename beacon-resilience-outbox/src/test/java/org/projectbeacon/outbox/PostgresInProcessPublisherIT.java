package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The publisher contract on PostgreSQL. */
class PostgresInProcessPublisherIT extends AbstractInProcessPublisherContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }
}
