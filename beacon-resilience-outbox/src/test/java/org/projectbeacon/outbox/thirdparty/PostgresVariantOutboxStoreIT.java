package org.projectbeacon.outbox.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.AbstractOutboxStoreContract;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.internal.PublisherStore;
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

    /** The publisher acknowledges with the dialect's own statement, not the default's SQL. */
    @Test
    void theDialectsOwnAcknowledgementIsUsed() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, OutboxMessage.builder("jobs").payload("mine").build());
            c.commit();
            c.setAutoCommit(true);
            int before = PostgresVariantDialect.DELETE_CLAIMED_CALLS.get();
            PublisherStore.Claim claim = store.claim(c, "w", 10, clock.millis(), Duration.ofSeconds(30));
            assertThat(store.acknowledge(c, claim.token(), List.of(claim.rows().get(0).seq()), AckMode.DELETE,
                    clock.millis())).isOne();
            assertThat(PostgresVariantDialect.DELETE_CLAIMED_CALLS.get()).isGreaterThan(before);
        }
    }
}
