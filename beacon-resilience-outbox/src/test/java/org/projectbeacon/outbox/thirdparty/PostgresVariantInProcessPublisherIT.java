package org.projectbeacon.outbox.thirdparty;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.AbstractInProcessPublisherContract;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;

/** A dialect of one class passes the in-process Publisher contract from outside the outbox's packages. */
class PostgresVariantInProcessPublisherIT extends AbstractInProcessPublisherContract {

    @Override
    protected OutboxDialect dialect() {
        return new PostgresVariantDialect();
    }

    @Override
    protected DataSource dataSource(String name) {
        TestServices.requirePostgres();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestServices.postgresUrl());
        return ds;
    }
}
