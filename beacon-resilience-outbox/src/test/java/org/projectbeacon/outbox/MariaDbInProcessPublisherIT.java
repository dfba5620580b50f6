package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The publisher contract on MariaDB. */
class MariaDbInProcessPublisherIT extends AbstractInProcessPublisherContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }
}
