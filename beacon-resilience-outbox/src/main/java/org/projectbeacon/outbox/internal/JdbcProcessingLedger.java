package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.projectbeacon.outbox.Acquisition;
import org.projectbeacon.outbox.LedgerConfig;
import org.projectbeacon.outbox.LedgerLease;
import org.projectbeacon.outbox.ProcessingLedger;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The JDBC processing ledger. Acquisition is optimistic and runs in auto-commit: read the entry,
 * then either insert-if-absent or compare-and-set the entry as read; a lost race reads again. No
 * statement holds a lock beyond itself, so concurrent acquirers never deadlock (MariaDB would with
 * a locking read upgraded to a write in one transaction).
 */
public final class JdbcProcessingLedger implements ProcessingLedger {

    static final String DONE = OutboxDialect.LEDGER_DONE;
    private static final int DONE_CHUNK = 500;
    /** Lost races before acquire gives up and answers LEASED (the delivery stays pending, so nothing is lost). */
    private static final int MAX_ROUNDS = 8;

    /** A ledger entry as read. */
    private record Entry(String status, String token, long leaseUntil, int attempts) {}

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final LedgerConfig config;
    private final Clock clock;
    private final long leaseMillis;
    private final String nowSql;
    private final String insertSql;
    private final String selectSql;
    private final String takeoverSql;
    private final String completeSql;
    private final String renewSql;
    private final String releaseSql;
    private final String expiredSql;
    private final String purgeSql;
    private final AtomicLong takeovers = new AtomicLong();

    /** A ledger over {@code config}'s table in {@code dataSource}; no I/O here. */
    public JdbcProcessingLedger(DataSource dataSource, LedgerConfig config) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock().orElse(null);
        this.leaseMillis = config.leaseDuration().toMillis();
        String t = config.ledgerTable();
        OutboxDialect dialect = config.dialect();
        this.nowSql = "SELECT " + dialect.currentTimeMillis();
        this.insertSql = dialect.ledgerInsertIfAbsent(t);
        this.selectSql = dialect.ledgerSelect(t);
        this.takeoverSql = dialect.ledgerTakeover(t);
        this.completeSql = dialect.ledgerComplete(t);
        this.renewSql = dialect.ledgerRenew(t);
        this.releaseSql = dialect.ledgerRelease(t);
        this.expiredSql = dialect.ledgerExpired(t);
        this.purgeSql = dialect.ledgerPurge(t);
    }

    @Override
    public LedgerConfig config() {
        return config;
    }

    @Override
    public Acquisition acquire(String messageId) throws SQLException {
        if (messageId == null || messageId.isBlank() || messageId.length() > MAX_MESSAGE_ID_LENGTH) {
            throw new IllegalArgumentException("messageId must be 1 to " + MAX_MESSAGE_ID_LENGTH
                    + " characters, not blank, but was " + (messageId == null ? "null" : "'" + messageId + "'"));
        }
        return withConnection(c -> acquire(c, messageId));
    }

    private Acquisition acquire(Connection c, String id) throws SQLException {
        Entry entry = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long now = now(c);
            entry = read(c, id);
            if (entry == null) {
                String token = UUID.randomUUID().toString();
                if (insert(c, id, token, now)) {
                    return Acquisition.acquired(lease(id, token, now, 1), false);
                }
                continue; // another acquirer inserted first: read its entry
            }
            if (DONE.equals(entry.status())) {
                return Acquisition.alreadyDone();
            }
            if (entry.token() != null && entry.leaseUntil() > now) {
                return Acquisition.leased(Instant.ofEpochMilli(entry.leaseUntil()));
            }
            String token = UUID.randomUUID().toString();
            if (takeOver(c, id, entry, token, now)) {
                boolean takenOver = entry.token() != null;
                if (takenOver) {
                    takeovers.incrementAndGet();
                }
                return Acquisition.acquired(lease(id, token, now, entry.attempts() + 1), takenOver);
            }
        }
        // Every round lost a race: someone else is acquiring this message right now.
        return Acquisition.leased(Instant.ofEpochMilli(entry == null ? now(c) + leaseMillis : entry.leaseUntil()));
    }

    private LedgerLease lease(String id, String token, long now, int attempt) {
        return new LedgerLease(id, config.owner(), token, Instant.ofEpochMilli(now + leaseMillis), attempt);
    }

    private Entry read(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectSql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4)) : null;
            }
        }
    }

    private boolean insert(Connection c, String id, String token, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            ps.setString(1, id);
            ps.setString(2, config.owner());
            ps.setString(3, token);
            ps.setLong(4, now + leaseMillis);
            ps.setLong(5, now);
            if (config.dialect().insertRepeatsId()) {
                ps.setString(6, id);
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            // H2's NOT EXISTS guard races with a concurrent insert, which then fails on the primary key.
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    private boolean takeOver(Connection c, String id, Entry entry, String token, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(takeoverSql)) {
            ps.setString(1, config.owner());
            ps.setString(2, token);
            ps.setLong(3, now + leaseMillis);
            ps.setString(4, id);
            ps.setInt(5, entry.attempts());
            ps.setLong(6, entry.leaseUntil());
            ps.setLong(7, now);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean complete(Connection connection, LedgerLease lease) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(lease, "lease");
        return fenced(connection, completeSql, lease, now(connection), false, null);
    }

    @Override
    public Acquisition.Outcome runOnce(String messageId, Work work) throws Exception {
        Objects.requireNonNull(work, "work");
        Acquisition acquisition = acquire(messageId);
        if (!acquisition.acquired()) {
            return acquisition.outcome();
        }
        LedgerLease lease = acquisition.lease().orElseThrow();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c, lease);
                if (complete(c, lease)) {
                    c.commit();
                    return Acquisition.Outcome.ACQUIRED;
                }
                // Taken over while the work ran: its new holder finishes the message, these effects go.
                c.rollback();
                return Acquisition.Outcome.LEASED;
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed); // closing the connection discards the transaction anyway
                }
                try {
                    release(lease, e);
                } catch (SQLException releaseFailed) {
                    e.addSuppressed(releaseFailed); // the lease then expires by itself
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    @Override
    public Optional<LedgerLease> renew(LedgerLease lease) throws SQLException {
        Objects.requireNonNull(lease, "lease");
        return withConnection(c -> {
            long until = now(c) + leaseMillis;
            return fenced(c, renewSql, lease, until, false, null)
                    ? Optional.of(new LedgerLease(lease.messageId(), lease.owner(), lease.token(),
                            Instant.ofEpochMilli(until), lease.attempt()))
                    : Optional.empty();
        });
    }

    @Override
    public boolean release(LedgerLease lease, Throwable error) throws SQLException {
        Objects.requireNonNull(lease, "lease");
        String lastError = error == null ? null : OutboxRows.truncate(OutboxRows.describe(error));
        return withConnection(c -> fenced(c, releaseSql, lease, now(c), true, lastError));
    }

    /** Runs one of the token-fenced updates: its time first, the error text when given, then id and token. */
    private static boolean fenced(Connection c, String sql, LedgerLease lease, long time, boolean withError,
            String lastError) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, time);
            if (withError) {
                ps.setString(i++, lastError);
            }
            ps.setString(i++, lease.messageId());
            ps.setString(i, lease.token());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public Set<UUID> done(Collection<UUID> messageIds) throws SQLException {
        Objects.requireNonNull(messageIds, "messageIds");
        List<String> ids = messageIds.stream().map(UUID::toString).distinct().toList();
        if (ids.isEmpty()) {
            return Set.of();
        }
        return withConnection(c -> {
            Set<UUID> done = new HashSet<>();
            for (int from = 0; from < ids.size(); from += DONE_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + DONE_CHUNK));
                try (PreparedStatement ps = c.prepareStatement(
                        config.dialect().ledgerDone(config.ledgerTable(), chunk.size()))) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            done.add(UUID.fromString(rs.getString(1)));
                        }
                    }
                }
            }
            return done;
        });
    }

    @Override
    public long expiredLeases() throws SQLException {
        return withConnection(c -> {
            long now = now(c);
            try (PreparedStatement ps = c.prepareStatement(expiredSql)) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public int purgeDone(Instant before) throws SQLException {
        Objects.requireNonNull(before, "before");
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(purgeSql)) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long takeovers() {
        return takeovers.get();
    }

    @Override
    public void migrate(Connection connection) throws SQLException {
        String script = SqlScript.load(config.dialect().ledgerMigrationLocation() + "/V1__ledger.sql")
                .replace("${prefix}", config.tablePrefix());
        try (Statement st = connection.createStatement()) {
            for (String sql : SqlScript.statements(script)) {
                st.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** The ledger's time in epoch milliseconds: the configured clock, or one query of the database's. */
    private long now(Connection c) throws SQLException {
        if (clock != null) {
            return clock.millis();
        }
        try (PreparedStatement ps = c.prepareStatement(nowSql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Runs {@code work} on a connection of the ledger's data source in auto-commit, each statement
     * its own short transaction, whatever the pool's default.
     */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            if (!auto) {
                c.setAutoCommit(true);
            }
            try {
                return work.run(c);
            } finally {
                if (!auto) {
                    c.setAutoCommit(false);
                }
            }
        }
    }
}
