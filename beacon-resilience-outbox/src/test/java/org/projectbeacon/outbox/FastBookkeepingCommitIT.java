package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.outbox.internal.PublisherStore;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * On PostgreSQL the publisher's claim and acknowledgement are single auto-commit statements that
 * relax their own commit (the dialect's {@code set_config('synchronous_commit', 'off', true)} joined
 * into them), its retry records run in a transaction after {@code SET LOCAL synchronous_commit = off};
 * both leave the session's setting alone, and a durable store never relaxes. The statements are
 * recorded through a {@link Connection} wrapper around a real PostgreSQL connection; the rows are
 * checked in the table, and the server's own count of WAL flushes shows the relaxed commits skip
 * theirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastBookkeepingCommitIT {

    private static final String RELAX = "SET LOCAL synchronous_commit = off";
    private static final String RELAX_SOURCE = "(SELECT set_config('synchronous_commit', 'off', true)) relaxed_commit";

    private DataSource ds;
    private OutboxConfig config;
    private Outbox outbox;

    @BeforeAll
    void setUp() throws SQLException {
        String prefix = TestServices.prefix("fastcommit");
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
    }

    @AfterAll
    void dropTables() {
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    @BeforeEach
    void threeDueMessages() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + config.outboxTable());
            c.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").payload("m" + i).build());
            }
            c.commit();
        }
    }

    @Test
    void claimAcknowledgeAndFailRelaxOnlyTheirOwnCommits() throws SQLException {
        PublisherStore store = new PublisherStore(config, null, true);
        List<String> log = new ArrayList<>();
        try (Connection real = ds.getConnection()) {
            Connection c = recording(real, log);
            long now = System.currentTimeMillis();
            PublisherStore.Claim claim = store.claim(c, "test", 10, now, java.time.Duration.ofSeconds(30));
            assertThat(claim.rows()).hasSize(3);
            long first = claim.rows().get(0).seq();
            store.fail(c, claim.token(), List.of(new PublisherStore.Failure(first, new IllegalStateException("x"), now)));
            int acked = store.acknowledge(c, claim.token(),
                    claim.rows().stream().skip(1).map(PublisherStore.ClaimedRow::seq).toList(), AckMode.DELETE, now);

            assertThat(acked).isEqualTo(2);
            // The claim and the acknowledgement: one statement each, in auto-commit, the source joined in.
            assertThat(log).containsExactly(
                    "prepare WITH due relaxed", "autocommit",
                    RELAX, "prepare UPDATE", "commit",
                    "prepare DELETE relaxed", "autocommit");
            // The local settings ended with each transaction: the session is back to durable commits.
            assertThat(real.getAutoCommit()).isTrue();
            assertThat(show(real, "synchronous_commit")).isEqualTo("on");
        }
        assertThat(count("")).isEqualTo(1);
        assertThat(count(" WHERE attempts = 1 AND claim_token IS NULL")).isEqualTo(1);
    }

    @Test
    void aDurableStoreNeverRelaxes() throws SQLException {
        PublisherStore store = new PublisherStore(config, null, false);
        List<String> log = new ArrayList<>();
        try (Connection real = ds.getConnection()) {
            Connection c = recording(real, log);
            long now = System.currentTimeMillis();
            PublisherStore.Claim claim = store.claim(c, "test", 10, now, java.time.Duration.ofSeconds(30));
            store.acknowledge(c, claim.token(), claim.rows().stream().map(PublisherStore.ClaimedRow::seq).toList(),
                    AckMode.DELETE, now);
        }
        assertThat(log).noneMatch(RELAX::equals).containsExactly("prepare WITH due", "autocommit", "prepare DELETE",
                "autocommit");
        assertThat(count("")).isZero();
    }

    @Test
    void onlyPostgresqlHasARelaxedCommit() {
        assertThat(OutboxDialect.postgresql().relaxedCommitStatement()).isEqualTo(RELAX);
        assertThat(OutboxDialect.mariadb().relaxedCommitStatement()).isNull();
        assertThat(OutboxDialect.h2().relaxedCommitStatement()).isNull();
        assertThat(OutboxDialect.postgresql().relaxedCommitSource()).isEqualTo(RELAX_SOURCE);
        assertThat(OutboxDialect.mariadb().relaxedCommitSource()).isNull();
        assertThat(OutboxDialect.h2().relaxedCommitSource()).isNull();
    }

    /** The source relaxes the statement it is joined into, and only that statement. */
    @Test
    void theSourceRelaxesItsOwnStatementOnly() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_setting('synchronous_commit') FROM " + RELAX_SOURCE)) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    /**
     * What the relaxation is for, read from the server: {@code pg_stat_wal.wal_sync} counts the WAL
     * flushes. A durable claim + acknowledgement of a row flushes at least twice; the relaxed ones
     * leave the flush to the WAL writer, which flushes a few times at most in the same span
     * (every {@code wal_writer_delay}). 40 rounds each way; the bound (half the durable count) leaves
     * room for the WAL writer and any other writer on the server.
     */
    @Test
    void relaxedStatementsSkipTheirWalFlush() throws SQLException {
        try (Connection c = ds.getConnection()) {
            // pg_stat_wal counts no flush with fsync off or with an open_* sync method: nothing to compare then.
            assumeTrue(show(c, "fsync").equals("on") && !show(c, "wal_sync_method").startsWith("open_"),
                    "the server's WAL flushes are not counted (fsync off or an open_* wal_sync_method)");
        }
        // The rows of the other tests go first: each round claims the one row it enqueued.
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + config.outboxTable());
        }
        int rounds = 40;
        long durable = walSyncsDuring(new PublisherStore(config, null, false), rounds);
        long relaxed = walSyncsDuring(new PublisherStore(config, null, true), rounds);
        assertThat(durable).as("WAL flushes of %d durable claim + delete rounds", rounds).isGreaterThanOrEqualTo(2L * rounds);
        assertThat(relaxed).as("WAL flushes of %d relaxed rounds (durable: %d)", rounds, durable).isLessThan(durable / 2);
        try (Connection c = ds.getConnection()) {
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    /**
     * Enqueues {@code rounds} messages (durably, not counted), then claims and deletes them one at a
     * time; the WAL flushes of those claims and deletes.
     */
    private long walSyncsDuring(PublisherStore store, int rounds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < rounds; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").payload("w" + i).build());
            }
            c.commit();
            c.setAutoCommit(true);
            long before = walSyncs(c);
            long now = System.currentTimeMillis();
            for (int i = 0; i < rounds; i++) {
                PublisherStore.Claim claim = store.claim(c, "wal", 1, now, java.time.Duration.ofSeconds(30));
                assertThat(claim.rows()).hasSize(1);
                store.acknowledge(c, claim.token(), List.of(claim.rows().get(0).seq()), AckMode.DELETE, now);
            }
            return walSyncs(c) - before;
        }
    }

    /**
     * The server's WAL flush count, this backend's own flushes included: PostgreSQL 15 reports a
     * backend's statistics when it goes idle, at most once a second unless asked to flush them.
     */
    private static long walSyncs(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = st.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long count(String where) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable() + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** {@code real}, recording statements run through createStatement, the first word of prepared SQL, and commits. */
    private static Connection recording(Connection real, List<String> log) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "prepareStatement" -> {
                    String sql = ((String) args[0]).strip();
                    log.add("prepare " + sql.substring(0, sql.startsWith("WITH") ? "WITH due".length() : sql.indexOf(' '))
                            + (sql.contains(RELAX_SOURCE) ? " relaxed" : ""));
                    if (real.getAutoCommit()) {
                        log.add("autocommit");
                    }
                }
                case "commit" -> log.add("commit");
                case "createStatement" -> {
                    Statement st = real.createStatement();
                    return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                            (p, m, a) -> {
                                if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String s) {
                                    log.add(s);
                                }
                                return invoke(m, st, a);
                            });
                }
                default -> { }
            }
            return invoke(method, real, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
