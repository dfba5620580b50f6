package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.projectbeacon.outbox.jdbi.JdbiProcessingLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.outbox.Acquisition.Outcome;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.MutableClock;

/**
 * The processing ledger's contract, run once per dialect by a subclass: each message's effects
 * commit once, whatever the redeliveries, crashes and races. Lease times come from a
 * {@link MutableClock} (no sleeps) except in the database-clock test.
 *
 * <p><b>Reusing it for a dialect of your own.</b> It ships in the outbox's test-jar (with core's
 * test-jar for {@link MutableClock}): subclass it in any package and implement {@link #dialect()},
 * {@link #dataSource(String)} and {@link #lockWaits(String)}. The suite creates its tables with a
 * random prefix and drops them at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractProcessingLedgerContract {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final int THREADS = 8;

    final MutableClock clock = new MutableClock(T0);
    DataSource ds;
    LedgerConfig config;
    ProcessingLedger ledger;
    String effects;

    /** The dialect under test. */
    protected abstract OutboxDialect dialect();

    /**
     * A data source of the test database; {@code name} is unique per test class (an embedded
     * database may use it as its name).
     */
    protected abstract DataSource dataSource(String name);

    /** A query counting the sessions waiting for a row lock in a statement on {@code table}. */
    protected abstract String lockWaits(String table);

    @BeforeAll
    void setUpDatabase() throws SQLException {
        String prefix = TestServices.prefix("ledger_" + dialect().name());
        ds = dataSource(prefix);
        config = LedgerConfig.builder().dialect(dialect()).tablePrefix(prefix).leaseDuration(LEASE).owner("w1")
                .clock(clock).build();
        ledger = ProcessingLedger.create(ds, config);
        ledger.migrate(ds);
        ledger.migrate(ds); // idempotent
        effects = prefix + "effects";
        execute("CREATE TABLE IF NOT EXISTS " + effects + " (id VARCHAR(64) NOT NULL PRIMARY KEY)");
    }

    @AfterAll
    void dropTables() throws SQLException {
        if (config != null) {
            execute("DROP TABLE IF EXISTS " + config.ledgerTable());
            execute("DROP TABLE IF EXISTS " + effects);
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        clock.set(T0);
        execute("DELETE FROM " + config.ledgerTable());
        execute("DELETE FROM " + effects);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Another handler (another host) on the same table and clock. */
    ProcessingLedger other(String owner) {
        return ProcessingLedger.create(ds, LedgerConfig.builder().dialect(dialect()).tablePrefix(config.tablePrefix())
                .leaseDuration(LEASE).owner(owner).clock(clock).build());
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** A handler's transaction: writes its effect and completes the lease; commits only when completed. */
    boolean handle(ProcessingLedger l, LedgerLease lease) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertEffect(c, lease.messageId());
            if (l.complete(c, lease)) {
                c.commit();
                return true;
            }
            c.rollback();
            return false;
        }
    }

    /** The handler's own effect, in its transaction on {@code c}. */
    void insertEffect(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + effects + " (id) VALUES (?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    long effects(String id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + effects + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    String column(String id, String column) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM " + config.ledgerTable() + " WHERE message_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void theFirstDeliveryAcquiresAndCompletesAndRedeliveriesFindItDone() throws SQLException {
        String id = id();
        Acquisition a = ledger.acquire(id);
        assertThat(a.outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(a.takenOver()).isFalse();
        LedgerLease lease = a.lease().orElseThrow();
        assertThat(lease.messageId()).isEqualTo(id);
        assertThat(lease.owner()).isEqualTo("w1");
        assertThat(lease.attempt()).isEqualTo(1);
        assertThat(lease.leaseUntil()).isEqualTo(T0.plus(LEASE));

        assertThat(handle(ledger, lease)).isTrue();
        assertThat(effects(id)).isOne();
        assertThat(column(id, "status")).isEqualTo("DONE");
        assertThat(ledger.acquire(id).outcome()).isEqualTo(Outcome.ALREADY_DONE);
        clock.advance(LEASE.multipliedBy(10));
        assertThat(other("w2").acquire(id).outcome()).isEqualTo(Outcome.ALREADY_DONE);
        try (Connection c = ds.getConnection()) {
            assertThat(ledger.complete(c, lease)).as("a second completion").isFalse();
        }
    }

    @Test
    void aLiveLeaseMakesOtherDeliveriesLeasedUntilItExpires() throws SQLException {
        String id = id();
        LedgerLease lease = ledger.acquire(id).lease().orElseThrow();
        ProcessingLedger w2 = other("w2");
        Acquisition second = w2.acquire(id);
        assertThat(second.outcome()).isEqualTo(Outcome.LEASED);
        assertThat(second.lease()).isEmpty();
        assertThat(second.heldUntil()).contains(lease.leaseUntil());
        clock.advance(LEASE.minusMillis(1));
        assertThat(w2.acquire(id).outcome()).isEqualTo(Outcome.LEASED);
        assertThat(ledger.acquire(id).outcome()).as("the holder itself on a redelivery").isEqualTo(Outcome.LEASED);
        assertThat(ledger.expiredLeases()).isZero();
        assertThat(w2.takeovers()).isZero();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheStaleHolderCanNeitherCompleteNorRenewNorRelease() throws SQLException {
        String id = id();
        LedgerLease stale = ledger.acquire(id).lease().orElseThrow();
        clock.advance(LEASE);
        assertThat(ledger.expiredLeases()).isOne();

        ProcessingLedger w2 = other("w2");
        Acquisition a = w2.acquire(id);
        assertThat(a.outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(a.takenOver()).isTrue();
        LedgerLease fresh = a.lease().orElseThrow();
        assertThat(fresh.attempt()).isEqualTo(2);
        assertThat(fresh.owner()).isEqualTo("w2");
        assertThat(fresh.token()).isNotEqualTo(stale.token());
        assertThat(fresh.leaseUntil()).isEqualTo(T0.plus(LEASE).plus(LEASE));
        assertThat(w2.takeovers()).isOne();
        assertThat(ledger.expiredLeases()).isZero();
        assertThat(column(id, "owner")).isEqualTo("w2");

        assertThat(handle(ledger, stale)).as("the stale holder's transaction").isFalse();
        assertThat(effects(id)).as("rolled back by the stale holder").isZero();
        assertThat(ledger.renew(stale)).isEmpty();
        assertThat(ledger.release(stale, new IllegalStateException("late"))).isFalse();

        assertThat(handle(w2, fresh)).isTrue();
        assertThat(effects(id)).isOne();
        assertThat(ledger.acquire(id).outcome()).isEqualTo(Outcome.ALREADY_DONE);
    }

    @Test
    void theHandlersEffectsCommitAndRollBackWithTheDoneMark() throws SQLException {
        String id = id();
        LedgerLease lease = ledger.acquire(id).lease().orElseThrow();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertEffect(c, id);
            assertThat(ledger.complete(c, lease)).isTrue();
            c.rollback(); // the handler failed after completing: nothing of it stays
        }
        assertThat(effects(id)).isZero();
        assertThat(column(id, "status")).isEqualTo("IN_PROGRESS");
        assertThat(other("w2").acquire(id).outcome()).as("lease still live").isEqualTo(Outcome.LEASED);

        assertThat(ledger.release(lease, new IllegalStateException("provider said no"))).isTrue();
        assertThat(column(id, "last_error")).isEqualTo("java.lang.IllegalStateException: provider said no");
        assertThat(ledger.expiredLeases()).as("a released lease is not a dead handler's").isZero();
        Acquisition retry = ledger.acquire(id);
        assertThat(retry.outcome()).as("acquired at once after a release").isEqualTo(Outcome.ACQUIRED);
        assertThat(retry.takenOver()).isFalse();
        assertThat(ledger.takeovers()).isZero();
        LedgerLease second = retry.lease().orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(handle(ledger, second)).isTrue();
        assertThat(effects(id)).isOne();
    }

    @Test
    void aTakeoverWaitingForAnUncommittedCompletionFindsTheMessageDone() throws Exception {
        String id = id();
        LedgerLease lease = ledger.acquire(id).lease().orElseThrow();
        ProcessingLedger w2 = other("w2");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertEffect(c, id);
            assertThat(ledger.complete(c, lease)).isTrue();
            clock.advance(LEASE); // the handler was slow: its lease expires before it commits
            Future<Acquisition> racer = pool.submit(() -> w2.acquire(id));
            // The racer read the entry as in progress and expired, and now waits on the completion's row lock.
            await().atMost(Duration.ofSeconds(30)).until(() -> count(lockWaits(config.ledgerTable())) > 0);
            c.commit();
            assertThat(racer.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.ALREADY_DONE);
        } finally {
            pool.shutdownNow();
        }
        assertThat(column(id, "owner")).isEqualTo("w1");
        assertThat(effects(id)).isOne();
        assertThat(w2.takeovers()).isZero();
    }

    long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void runOnceCommitsTheEffectsOnceAndTellsWhatToDoWithEachDelivery() throws Exception {
        String id = id();
        List<Integer> attempts = new ArrayList<>();
        ProcessingLedger.Work failing = (c, lease) -> {
            attempts.add(lease.attempt());
            insertEffect(c, id);
            throw new IllegalStateException("provider down");
        };
        assertThatThrownBy(() -> ledger.runOnce(id, failing)).isInstanceOf(IllegalStateException.class)
                .hasMessage("provider down");
        assertThat(effects(id)).as("rolled back").isZero();
        assertThat(column(id, "last_error")).isEqualTo("java.lang.IllegalStateException: provider down");

        ProcessingLedger.Work working = (c, lease) -> {
            attempts.add(lease.attempt());
            insertEffect(c, id);
        };
        assertThat(ledger.runOnce(id, working)).as("released, so retried at once").isEqualTo(Outcome.ACQUIRED);
        assertThat(ledger.runOnce(id, working)).isEqualTo(Outcome.ALREADY_DONE);
        assertThat(attempts).containsExactly(1, 2);
        assertThat(effects(id)).isOne();

        String held = id();
        ledger.acquire(held);
        assertThat(other("w2").runOnce(held, working)).isEqualTo(Outcome.LEASED);
        assertThat(attempts).as("work runs only when acquired").hasSize(2);
    }

    @Test
    void runOnceRollsBackTheEffectsOfALeaseTakenOverWhileTheWorkRan() throws Exception {
        String id = id();
        ProcessingLedger w2 = other("w2");
        assertThat(ledger.runOnce(id, (c, lease) -> {
            insertEffect(c, id);
            clock.advance(LEASE); // this handler stalled past its lease, and w2 took the message over
            assertThat(w2.acquire(id).takenOver()).isTrue();
        })).isEqualTo(Outcome.LEASED);
        assertThat(effects(id)).isZero();
        assertThat(column(id, "owner")).isEqualTo("w2");
    }

    @Test
    void jdbiHandlesJoinTheHandlesTransaction() throws SQLException {
        Jdbi jdbi = Jdbi.create(ds);
        JdbiProcessingLedger jdbiLedger = JdbiProcessingLedger.of(ledger);
        String id = id();
        LedgerLease lease = ledger.acquire(id).lease().orElseThrow();
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            h.execute("INSERT INTO " + effects + " (id) VALUES (?)", id);
            assertThat(jdbiLedger.complete(h, lease)).isTrue();
            throw new IllegalStateException("handler fails after completing");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(effects(id)).isZero();
        assertThat(column(id, "status")).isEqualTo("IN_PROGRESS");

        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO " + effects + " (id) VALUES (?)", id);
            assertThat(jdbiLedger.complete(h, lease)).isTrue();
        });
        assertThat(effects(id)).isOne();
        assertThat(ledger.done(List.of(UUID.fromString(id)))).containsExactly(UUID.fromString(id));
    }

    @Test
    void aRenewedLeaseStaysLivePastItsFirstExpiry() throws SQLException {
        String id = id();
        LedgerLease lease = ledger.acquire(id).lease().orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        LedgerLease renewed = ledger.renew(lease).orElseThrow();
        assertThat(renewed.leaseUntil()).isEqualTo(T0.plusSeconds(20).plus(LEASE));
        assertThat(renewed.token()).isEqualTo(lease.token());
        clock.advance(Duration.ofSeconds(20));
        assertThat(other("w2").acquire(id).outcome()).isEqualTo(Outcome.LEASED);
        assertThat(handle(ledger, renewed)).isTrue();
    }

    @Test
    void concurrentAcquirersOfOneMessageHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 5; round++) {
                String id = id();
                assertThat(race(pool, id, "new")).containsOnlyOnce(Outcome.ACQUIRED).hasSize(THREADS);
                // The winner dies: once its lease expired, the racers take over exactly once.
                clock.advance(LEASE);
                List<Outcome> takeover = race(pool, id, "takeover");
                assertThat(takeover).containsOnlyOnce(Outcome.ACQUIRED).hasSize(THREADS);
                assertThat(takeover).filteredOn(o -> o != Outcome.ACQUIRED).containsOnly(Outcome.LEASED);
                assertThat(column(id, "attempts")).isEqualTo("2");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #THREADS} ledgers, one per thread, acquiring {@code id} at once. */
    List<Outcome> race(ExecutorService pool, String id, String name) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            ProcessingLedger l = other(name + "-" + i);
            Callable<Outcome> acquire = () -> {
                start.await();
                return l.acquire(id).outcome();
            };
            futures.add(pool.submit(acquire));
        }
        start.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get());
        }
        return outcomes;
    }

    @Test
    void doneTellsWhichMessagesAreDoneAcrossChunks() throws SQLException {
        UUID done1 = UUID.randomUUID();
        UUID done2 = UUID.randomUUID();
        UUID inProgress = UUID.randomUUID();
        assertThat(handle(ledger, ledger.acquire(done1).lease().orElseThrow())).isTrue();
        assertThat(handle(ledger, ledger.acquire(done2).lease().orElseThrow())).isTrue();
        ledger.acquire(inProgress);
        List<UUID> asked = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            asked.add(UUID.randomUUID());
        }
        asked.add(700, done2);
        asked.add(done1);
        asked.add(inProgress);
        assertThat(ledger.done(asked)).isEqualTo(Set.of(done1, done2));
        assertThat(ledger.done(List.of())).isEmpty();
    }

    @Test
    void purgeDoneDeletesOnlyEntriesDoneBeforeTheGivenTime() throws SQLException {
        String old = id();
        String recent = id();
        String running = id();
        assertThat(handle(ledger, ledger.acquire(old).lease().orElseThrow())).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(handle(ledger, ledger.acquire(recent).lease().orElseThrow())).isTrue();
        ledger.acquire(running);
        assertThat(ledger.purgeDone(T0.plusSeconds(1))).isOne();
        assertThat(column(old, "status")).isNull();
        assertThat(column(recent, "status")).isEqualTo("DONE");
        assertThat(column(running, "status")).isEqualTo("IN_PROGRESS");
        Acquisition again = ledger.acquire(old);
        assertThat(again.outcome()).as("a purged message counts as new").isEqualTo(Outcome.ACQUIRED);
        assertThat(again.lease().orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void theDatabaseClockKeepsLeasesByDefault() throws SQLException {
        LedgerConfig dbClock = LedgerConfig.builder().dialect(dialect()).tablePrefix(config.tablePrefix())
                .owner("db-clock").build();
        assertThat(dbClock.clock()).isEmpty();
        ProcessingLedger a = ProcessingLedger.create(ds, dbClock);
        ProcessingLedger b = ProcessingLedger.create(ds, LedgerConfig.builder().dialect(dialect())
                .tablePrefix(config.tablePrefix()).owner("db-clock-2").build());
        String id = id();
        Instant before = Instant.now();
        LedgerLease lease = a.acquire(id).lease().orElseThrow();
        // The database runs on this host: its clock agrees with ours to well within a minute, so this
        // checks the expression's unit (milliseconds), not any speed.
        assertThat(lease.leaseUntil()).isBetween(before.plus(LedgerConfig.DEFAULT_LEASE_DURATION).minusSeconds(60),
                Instant.now().plus(LedgerConfig.DEFAULT_LEASE_DURATION).plusSeconds(60));
        Acquisition leased = b.acquire(id);
        assertThat(leased.outcome()).isEqualTo(Outcome.LEASED);
        assertThat(leased.heldUntil()).contains(lease.leaseUntil());
        assertThat(a.expiredLeases()).isZero();

        assertThat(a.release(lease, null)).isTrue();
        Acquisition retry = b.acquire(id);
        assertThat(retry.outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(retry.takenOver()).isFalse();
        LedgerLease renewed = b.renew(retry.lease().orElseThrow()).orElseThrow();
        assertThat(handle(b, renewed)).isTrue();
        assertThat(a.acquire(id).outcome()).isEqualTo(Outcome.ALREADY_DONE);
        assertThat(Long.parseLong(column(id, "done_at"))).isBetween(before.minusSeconds(60).toEpochMilli(),
                Instant.now().plusSeconds(60).toEpochMilli());
    }

    @Test
    void metricsCountTakeoversAndServeTheLastRefreshedExpiredLeases() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProcessingLedger w2 = other("w2");
        LedgerMetrics metrics = LedgerMetrics.builder(w2).build();
        metrics.bindTo(registry);
        ledger.acquire(id());
        clock.advance(LEASE);
        assertThat(registry.get(OutboxMetricCatalog.LEDGER_EXPIRED_LEASES).gauge().value()).as("before a refresh").isZero();
        assertThat(metrics.refresh()).isOne();
        execute("DELETE FROM " + config.ledgerTable());
        assertThat(registry.get(OutboxMetricCatalog.LEDGER_EXPIRED_LEASES).gauge().value())
                .as("the scrape reads the refreshed value, not the table").isEqualTo(1.0);

        String id = id();
        ledger.acquire(id);
        clock.advance(LEASE);
        assertThat(w2.acquire(id).takenOver()).isTrue();
        assertThat(registry.get(OutboxMetricCatalog.LEDGER_TAKEOVERS).functionCounter().count()).isEqualTo(1.0);
        assertThat(metrics.refresh()).isZero();
        assertThat(registry.get(OutboxMetricCatalog.LEDGER_EXPIRED_LEASES).gauge().value()).isZero();
    }

    @Test
    void invalidMessageIdsAreRejectedNamingTheParameterBeforeAnySql() {
        assertThatThrownBy(() -> ledger.acquire((String) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageId").hasMessageContaining("null");
        assertThatThrownBy(() -> ledger.acquire(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageId");
        assertThatThrownBy(() -> ledger.acquire("x".repeat(65))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageId").hasMessageContaining("64");
    }
}
