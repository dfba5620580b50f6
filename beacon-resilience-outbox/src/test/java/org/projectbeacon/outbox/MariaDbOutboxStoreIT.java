package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The store contract on MariaDb. */
class MariaDbOutboxStoreIT extends AbstractOutboxStoreContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.mariadb();
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
