package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.Acquisition.Outcome;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.MutableClock;

class LedgerConfigTest {

    @Test
    void defaultsUseTheDatabaseClockAndTheNamedConstants() {
        LedgerConfig c = LedgerConfig.builder().build();
        assertThat(c.dialect()).isEqualTo(LedgerConfig.DEFAULT_DIALECT);
        assertThat(c.tablePrefix()).isEqualTo(LedgerConfig.DEFAULT_TABLE_PREFIX);
        assertThat(c.ledgerTable()).isEqualTo("processing_ledger");
        assertThat(c.leaseDuration()).isEqualTo(LedgerConfig.DEFAULT_LEASE_DURATION);
        assertThat(c.owner()).matches(LedgerConfig.OWNER);
        assertThat(c.clock()).isEmpty();
        MutableClock clock = MutableClock.atEpochDay();
        LedgerConfig custom = LedgerConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix("runner_")
                .leaseDuration(Duration.ofSeconds(10)).owner("host-a worker 1").clock(clock).build();
        assertThat(custom.ledgerTable()).isEqualTo("runner_processing_ledger");
        assertThat(custom.clock()).containsSame(clock);
        assertThat(custom.owner()).isEqualTo("host-a worker 1");
        assertThat(LedgerConfig.builder().clock(clock).databaseClock().build().clock()).isEmpty();
    }

    @Test
    void invalidValuesAreRejectedNamingTheParameterAndTheValue() {
        assertThatThrownBy(() -> LedgerConfig.builder().tablePrefix("Bad-Prefix"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix").hasMessageContaining("'Bad-Prefix'");
        assertThatThrownBy(() -> LedgerConfig.builder().tablePrefix(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix").hasMessageContaining("null");
        assertThatThrownBy(() -> LedgerConfig.builder().leaseDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> LedgerConfig.builder().leaseDuration(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> LedgerConfig.builder().owner(" lead"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner").hasMessageContaining("' lead'");
        assertThatThrownBy(() -> LedgerConfig.builder().owner("x".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> LedgerConfig.builder().clock(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("clock");
        assertThatThrownBy(() -> LedgerMetrics.builder(ProcessingLedger.create(new org.h2.jdbcx.JdbcDataSource(),
                LedgerConfig.builder().build())).refreshInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
    }

    @Test
    void acquisitionsPairTheirPartsWithTheOutcome() {
        LedgerLease lease = new LedgerLease("m", "w", "t", Instant.EPOCH, 1);
        assertThat(Acquisition.acquired(lease, true).acquired()).isTrue();
        assertThat(Acquisition.alreadyDone().acquired()).isFalse();
        assertThat(Acquisition.leased(Instant.EPOCH).heldUntil()).contains(Instant.EPOCH);
        assertThatThrownBy(() -> new Acquisition(Outcome.LEASED, Optional.of(lease), false, Optional.of(Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> new Acquisition(Outcome.ALREADY_DONE, Optional.empty(), true, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takenOver");
        assertThatThrownBy(() -> new LedgerLease("m", "w", "t", Instant.EPOCH, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt");
    }
}
