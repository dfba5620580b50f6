package org.projectbeacon.health.outbox;

import org.projectbeacon.resilience.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxMonitor;

class OutboxBacklogCheckTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcDataSource ds;
    private OutboxConfig config;
    private Outbox outbox;

    @BeforeEach
    void setUp() throws SQLException {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:backlog_" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";DB_CLOSE_DELAY=-1");
        config = OutboxConfig.builder().tablePrefix("backlog_").clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
    }

    private void enqueue(int n) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").payload("p" + i).build());
            }
        }
    }

    private static HealthResult run(OutboxBacklogCheck check) {
        return check.check().toCompletableFuture().join();
    }

    @Test
    void flipsFromUpToDegradedExactlyAtTheDetectorsThreshold() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).build(); // defaults: more than 10 older than 5 min
        OutboxBacklogCheck check = OutboxBacklogCheck.of(monitor);
        enqueue(11);

        clock.set(T0.plus(Duration.ofMinutes(5)));
        monitor.refresh();
        HealthResult atThreshold = run(check);
        assertThat(atThreshold.status()).as("exactly 5 min old is not stuck").isEqualTo(HealthStatus.UP);
        assertThat(atThreshold.error()).isNull();
        assertThat(atThreshold.details())
                .containsEntry("unpublished_count", 11L)
                .containsEntry("oldest_unpublished_age_seconds", 300L)
                .containsEntry("dead_letter_count", 0L)
                .containsEntry("stuck_count", 0L)
                .containsEntry("stuck_threshold_messages", 10)
                .containsEntry("stuck_threshold_age_seconds", 300L)
                .containsEntry("figures_at", "2026-01-01T00:05:00Z");

        clock.set(T0.plus(Duration.ofMinutes(5)).plusSeconds(1));
        monitor.refresh();
        HealthResult past = run(check);
        assertThat(past.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(past.error()).isEqualTo("11 messages unpublished for more than 5m, oldest 5m1s");
        assertThat(past.details()).containsEntry("stuck_count", 11L).containsEntry("oldest_unpublished_age_seconds", 301L);
    }

    @Test
    void tenOldMessagesAreNotStuckButTheEleventhMakesItDegradedWithTheRunbooksWording() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).build();
        OutboxBacklogCheck check = OutboxBacklogCheck.of(monitor);
        enqueue(10);
        clock.set(T0.plus(Duration.ofMinutes(7)).plusSeconds(12));
        monitor.refresh();
        assertThat(run(check).status()).isEqualTo(HealthStatus.UP);

        clock.set(T0);
        enqueue(32);
        clock.set(T0.plus(Duration.ofMinutes(7)).plusSeconds(12));
        monitor.refresh();
        HealthResult result = run(check);
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.error()).isEqualTo("42 messages unpublished for more than 5m, oldest 7m12s");
    }

    @Test
    void answersFromTheMonitorsFiguresWithoutTouchingTheDatabase() throws SQLException {
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).stuckMessages(0).stuckAge(Duration.ofSeconds(30)).build();
        OutboxBacklogCheck check = OutboxBacklogCheck.of(monitor);

        HealthResult beforeRefresh = run(check);
        assertThat(beforeRefresh.status()).isEqualTo(HealthStatus.UP);
        assertThat(beforeRefresh.details()).containsEntry("unpublished_count", null).containsEntry("figures_at", null);

        enqueue(1);
        clock.advance(Duration.ofHours(1).plusSeconds(5));
        monitor.refresh();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + config.outboxTable()); // any query from the check would now fail
            st.execute("DROP TABLE " + config.deadLetterTable());
        }
        HealthResult result = run(check);
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.error()).isEqualTo("1 messages unpublished for more than 30s, oldest 1h0m5s");
        assertThat(result.details()).containsEntry("unpublished_count", 1L);
    }

    @Test
    void aFailingRefreshMakesTheFiguresStaleAndTheCheckDegradedWithoutTheErrorMessage() throws Exception {
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).refreshInterval(Duration.ofMillis(20))
                .scheduler(scheduler).build();
        OutboxBacklogCheck check = OutboxBacklogCheck.of(monitor);
        monitor.refresh();
        assertThat(run(check).status()).isEqualTo(HealthStatus.UP);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + config.outboxTable());
        }
        try {
            monitor.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> monitor.lastRefreshError().isPresent());
        } finally {
            monitor.close();
            scheduler.shutdownNow();
        }
        HealthResult stale = run(check);
        assertThat(stale.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(stale.error()).startsWith("outbox figures are stale: the monitor's refresh fails with ")
                .doesNotContain(config.outboxTable().toUpperCase(java.util.Locale.ROOT));
        assertThat(stale.details()).containsEntry("unpublished_count", 0L);
    }

    @Test
    void formatsDurationsShortly() {
        assertThat(OutboxBacklogCheck.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(OutboxBacklogCheck.human(Duration.ofSeconds(432))).isEqualTo("7m12s");
        assertThat(OutboxBacklogCheck.human(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(OutboxBacklogCheck.human(Duration.ofSeconds(3605))).isEqualTo("1h0m5s");
        assertThat(OutboxBacklogCheck.human(Duration.ZERO)).isEqualTo("0s");
    }
}
