package org.projectbeacon.outbox.thirdparty;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.AbstractOutboxStoreContract;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;

/** A dialect of one class passes the OutboxStore contract from outside the outbox's packages. */
class PostgresVariantOutboxStoreIT extends AbstractOutboxStoreContract {

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
