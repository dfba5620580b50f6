package org.projectbeacon.outbox;

import org.projectbeacon.resilience.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StuckJobDetectorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final MutableClock clock = new MutableClock(T0);
    DataSource ds;
    OutboxConfig config;
    Outbox outbox;

    @BeforeEach
    void setUp() throws SQLException {
        ds = OutboxMetricCatalogTest.h2(TestServices.prefix("stuck"));
        config = OutboxConfig.builder().tablePrefix("stuck_").clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
    }

    void enqueue(int n) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").payload("p" + i).build());
            }
        }
    }

    @Test
    void flipsExactlyWhenMoreThanTenMessagesAreOlderThanFiveMinutes() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).build();
        assertThat(monitor.stuckJobs().stuck()).isFalse(); // before any refresh
        enqueue(11);

        clock.set(T0.plus(Duration.ofMinutes(5)));
        monitor.refresh();
        assertThat(monitor.stuckJobs().stuck()).as("exactly 5 min old is not older than 5 min").isFalse();
        assertThat(monitor.stuckJobs().olderThanMaxAge()).isZero();

        clock.set(T0.plus(Duration.ofMinutes(5)).plusMillis(1));
        monitor.refresh();
        StuckJobReport report = monitor.stuckJobs();
        assertThat(report.stuck()).isTrue();
        assertThat(report.olderThanMaxAge()).isEqualTo(11);
        assertThat(report.oldestAge()).isEqualTo(Duration.ofMinutes(5).plusMillis(1));
        assertThat(report.describe()).startsWith("stuck: 11 messages");
    }

    @Test
    void tenOldMessagesAreNotStuckButElevenAre() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).build();
        enqueue(10);
        clock.advance(Duration.ofHours(1));
        monitor.refresh();
        assertThat(monitor.stuckJobs().stuck()).isFalse();
        clock.set(T0);
        enqueue(1);
        clock.advance(Duration.ofHours(1));
        monitor.refresh();
        assertThat(monitor.stuckJobs().stuck()).isTrue();
    }

    @Test
    void thresholdsAreConfigurableAndValidated() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).stuckMessages(0).stuckAge(Duration.ofSeconds(1)).build();
        enqueue(1);
        clock.advance(Duration.ofSeconds(1));
        monitor.refresh();
        assertThat(monitor.stuckJobs().stuck()).isFalse();
        clock.advance(Duration.ofMillis(1));
        monitor.refresh();
        assertThat(monitor.stuckJobs().stuck()).isTrue();
        assertThatThrownBy(() -> OutboxMonitor.builder(ds, config).stuckMessages(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stuckMessages").hasMessageContaining("-1");
        assertThatThrownBy(() -> OutboxMonitor.builder(ds, config).stuckAge(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stuckAge");
    }
}
