package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The store contract on H2. */
class H2OutboxStoreIT extends AbstractOutboxStoreContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.h2();
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
