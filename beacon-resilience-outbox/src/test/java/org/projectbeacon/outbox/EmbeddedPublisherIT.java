package org.projectbeacon.outbox;

import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The embedded default: H2 and the in-process sink, no servers. */
class EmbeddedPublisherIT extends AbstractInProcessPublisherContract {
    @Override
    protected OutboxDialect dialect() {
        return OutboxDialect.h2();
    }

    @Override
    protected DataSource dataSource(String name) {
        return TestServices.dataSource(dialect(), name);
    }
}
