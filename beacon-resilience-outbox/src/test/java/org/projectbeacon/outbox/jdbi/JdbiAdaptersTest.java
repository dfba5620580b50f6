package org.projectbeacon.outbox.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.LedgerConfig;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.ProcessingLedger;

/** Bad input to the Jdbi adapters fails naming the parameter; the transactional behaviour is in the store contracts. */
class JdbiAdaptersTest {

    @Test
    void adaptersRejectNullsNamingTheParameter() {
        assertThatThrownBy(() -> JdbiOutbox.of(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outbox must not be null but was null");
        assertThatThrownBy(() -> JdbiProcessingLedger.of(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ledger must not be null but was null");

        Outbox outbox = Outbox.create(OutboxConfig.builder().build());
        JdbiOutbox jdbiOutbox = JdbiOutbox.of(outbox);
        assertThat(jdbiOutbox.outbox()).isSameAs(outbox);
        assertThatThrownBy(() -> jdbiOutbox.enqueue(null, OutboxMessage.builder("jobs").payload("x").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("handle must not be null but was null");

        ProcessingLedger ledger = ProcessingLedger.create(new JdbcDataSource(), LedgerConfig.builder().build());
        JdbiProcessingLedger jdbiLedger = JdbiProcessingLedger.of(ledger);
        assertThat(jdbiLedger.ledger()).isSameAs(ledger);
        assertThatThrownBy(() -> jdbiLedger.complete(null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("handle must not be null but was null");
    }
}
