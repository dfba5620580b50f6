package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The publisher contract on PostgreSQL. */
class PostgresInProcessPublisherIT extends AbstractInProcessPublisherContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.postgresql();
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
