package org.projectbeacon.outbox.internal;

import static org.projectbeacon.outbox.internal.Transactions.inAutoCommit;
import static org.projectbeacon.outbox.internal.Transactions.inTransaction;
import static org.projectbeacon.outbox.internal.Transactions.sum;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The publisher's statements: claim, acknowledge, record failures, release, dead-letter and the
 * retention purge, batched so that a claimed batch costs a fixed number of round trips whatever its
 * size. Methods take the connection to use; the claim and the dead-lettering manage their own
 * short transaction on it, the others run in auto-commit. Thread-safe.
 *
 * <p><b>Lease clock.</b> Leases are written and compared with the database's clock
 * ({@link OutboxDialect#currentTimeMillis()}) unless an application lease clock is given: then its
 * reading is written into the statement, and hosts sharing the table must keep their clocks
 * synchronised. Availability ({@code available_at}) is always compared with the caller's time.
 */
public final class PublisherStore {

    /** A claimed batch: the token that fences its acknowledgement, the rows, and how many were reclaimed from expired leases. */
    public record Claim(String token, List<ClaimedRow> rows, int reclaimed) {
        /** Whether nothing was claimed. */
        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    /** One claimed row: its sequence number, the record and its history. */
    public record ClaimedRow(long seq, OutboxRecord record, String history) {}

    /** One failure to store: the row, the error, and the next attempt time (ignored when dead-lettering). */
    public record Failure(long seq, Throwable error, long nextAttemptAt) {}

    private final OutboxDialect dialect;
    private final String t;
    private final String dl;
    private final Clock leaseClock;
    private final String relaxedCommit;
    private final String relaxedSource;
    private final String databaseLeaseNow;
    private final String claimDueSql;
    private final String claimReturningSql;

    /**
     * The statements over {@code config}'s tables, whose dialect must be known.
     *
     * @param leaseClock the application clock of leases, or {@code null} for the database's clock
     * @param fastBookkeepingCommit whether claims, acknowledgements and retry records commit without
     *        waiting for the log flush where the dialect allows it (see
     *        {@code PublisherConfig.fastBookkeepingCommit()} for why that loses nothing)
     */
    public PublisherStore(OutboxConfig config, Clock leaseClock, boolean fastBookkeepingCommit) {
        this.dialect = config.dialect();
        this.t = config.outboxTable();
        this.dl = config.deadLetterTable();
        this.leaseClock = leaseClock;
        this.relaxedCommit = fastBookkeepingCommit ? dialect.relaxedCommitStatement() : null;
        this.relaxedSource = fastBookkeepingCommit ? dialect.relaxedCommitSource() : null;
        // A scalar subquery, so that PostgreSQL reads its (volatile) clock once per statement, not per row.
        this.databaseLeaseNow = "(SELECT " + dialect.currentTimeMillis() + ")";
        this.claimDueSql = dialect.claimDue(t, databaseLeaseNow);
        this.claimReturningSql = dialect.claimsWithUpdateReturning() ? claimReturning(databaseLeaseNow) : null;
    }

    /** The lease clock's reading as SQL: the database clock's expression, or the application clock's time as a literal. */
    private String leaseNow() {
        return leaseClock == null ? databaseLeaseNow : Long.toString(leaseClock.millis());
    }

    /**
     * Claims up to {@code limit} rows available at {@code now} for {@code owner}, leased for
     * {@code lease} from the lease clock's current time: one statement where the dialect can, else
     * one short transaction (select with SKIP LOCKED, one update, commit). A full claim: every row
     * is considered.
     */
    public Claim claim(Connection c, String owner, int limit, long now, Duration lease) throws SQLException {
        return claim(c, owner, limit, now, lease, Long.MIN_VALUE);
    }

    /**
     * As {@link #claim(Connection, String, int, long, Duration)}, considering only rows whose sequence
     * number is at least {@code fromSeq} (the per-key order still looks at every older row).
     */
    public Claim claim(Connection c, String owner, int limit, long now, Duration lease, long fromSeq)
            throws SQLException {
        String leaseNow = leaseNow();
        String token = UUID.randomUUID().toString();
        if (dialect.claimsWithUpdateReturning()) {
            String sql = leaseClock == null ? claimReturningSql : claimReturning(leaseNow);
            return oneStatement(c, () -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, now);
                    ps.setLong(2, fromSeq);
                    ps.setInt(3, limit);
                    ps.setString(4, owner);
                    ps.setLong(5, lease.toMillis());
                    ps.setString(6, token);
                    Claim claim = readClaim(ps, token);
                    // RETURNING gives no order; the sink must see the claim order (per-key and oldest-first).
                    claim.rows().sort(Comparator.comparingLong(ClaimedRow::seq));
                    return claim;
                }
            });
        }
        String sql = leaseClock == null ? claimDueSql : dialect.claimDue(t, leaseNow);
        return inTransaction(c, null, () -> {
            Claim claim;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, now);
                ps.setLong(2, fromSeq);
                ps.setInt(3, limit);
                claim = readClaim(ps, token);
            }
            List<ClaimedRow> rows = claim.rows();
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(dialect.claimLease(t, leaseNow, rows.size()))) {
                    ps.setString(1, owner);
                    ps.setLong(2, lease.toMillis());
                    ps.setString(3, token);
                    for (int i = 0; i < rows.size(); i++) {
                        ps.setLong(4 + i, rows.get(i).seq());
                    }
                    ps.executeUpdate();
                }
            }
            return claim;
        });
    }

    /** Reads the claim statement's rows, counting those whose expired lease was taken over. */
    private static Claim readClaim(PreparedStatement ps, String token) throws SQLException {
        List<ClaimedRow> rows = new ArrayList<>();
        int reclaimed = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getLong(10);
                if (!rs.wasNull()) {
                    reclaimed++;
                }
                rows.add(new ClaimedRow(rs.getLong(1), OutboxRows.record(rs, 2), rs.getString(11)));
            }
        }
        return new Claim(token, rows, reclaimed);
    }

    /**
     * Acknowledges the rows {@code seqs} of the claim {@code token} in one statement: deletes them or
     * marks them published. Rows whose token changed (reclaimed after the lease expired) are left
     * alone. Returns how many rows were acknowledged. Under {@link AckMode#KEEP_UNTIL_DONE} use
     * {@link #acknowledge(Connection, String, List, List, AckMode, long)}, which stores the entry ids.
     */
    public int acknowledge(Connection c, String token, List<Long> seqs, AckMode mode, long now) throws SQLException {
        return acknowledge(c, token, seqs, null, mode, now);
    }

    /**
     * As {@link #acknowledge(Connection, String, List, AckMode, long)}; under
     * {@link AckMode#KEEP_UNTIL_DONE} also stores {@code entryIds} (same order as {@code seqs}, null
     * elements stored as {@link ReconcilerStore#UNKNOWN_ENTRY}) in {@code stream_entry_id}, still one statement.
     */
    public int acknowledge(Connection c, String token, List<Long> seqs, List<String> entryIds, AckMode mode, long now)
            throws SQLException {
        if (seqs.isEmpty()) {
            return 0;
        }
        boolean keep = mode == AckMode.KEEP_UNTIL_DONE;
        if (keep && (entryIds == null || entryIds.size() != seqs.size())) {
            throw new IllegalArgumentException("entryIds must have one entry per seq (" + seqs.size() + ") but had "
                    + (entryIds == null ? "none" : entryIds.size()));
        }
        if (mode == AckMode.DELETE) {
            return oneStatement(c, () -> deleteClaimed(c, token, seqs, relaxedSource));
        }
        return oneStatement(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(relaxedSource == null ? dialect.markPublished(t, seqs.size(), keep)
                    : dialect.markPublished(t, seqs.size(), keep, relaxedSource))) {
                int p = 1;
                ps.setLong(p++, now);
                if (keep) {
                    for (int i = 0; i < seqs.size(); i++) {
                        String entry = entryIds.get(i);
                        ps.setLong(p++, seqs.get(i));
                        ps.setString(p++, entry == null ? ReconcilerStore.UNKNOWN_ENTRY : entry);
                    }
                }
                ps.setString(p++, token);
                for (Long seq : seqs) {
                    ps.setLong(p++, seq);
                }
                return ps.executeUpdate();
            }
        });
    }

    private int deleteClaimed(Connection c, String token, List<Long> seqs, String relaxedCommitSource)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(relaxedCommitSource == null ? dialect.deleteClaimed(t, seqs.size())
                : dialect.deleteClaimed(t, seqs.size(), relaxedCommitSource))) {
            ps.setString(1, token);
            for (int i = 0; i < seqs.size(); i++) {
                ps.setLong(2 + i, seqs.get(i));
            }
            return ps.executeUpdate();
        }
    }

    /** Records failed attempts (attempts + 1, last error, next attempt time, lease released) in one batch. */
    public int fail(Connection c, String token, List<Failure> failures) throws SQLException {
        if (failures.isEmpty()) {
            return 0;
        }
        return bookkeeping(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.recordFailure(t))) {
                for (Failure f : failures) {
                    ps.setString(1, OutboxRows.truncate(OutboxRows.describe(f.error())));
                    ps.setLong(2, f.nextAttemptAt());
                    ps.setString(3, token);
                    ps.setLong(4, f.seq());
                    ps.addBatch();
                }
                return sum(ps.executeBatch());
            }
        });
    }

    /**
     * Releases every row still held by {@code token} without counting an attempt (the destination was
     * unavailable, not the message at fault), available again at {@code availableAt}.
     */
    public int release(Connection c, String token, Throwable error, long availableAt) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.release(t))) {
                ps.setString(1, OutboxRows.truncate(OutboxRows.describe(error)));
                ps.setLong(2, availableAt);
                ps.setString(3, token);
                return ps.executeUpdate();
            }
        });
    }

    /** Moves the failed rows of {@code token} to the dead letter table in one transaction (one insert-select, one delete). */
    public int deadLetter(Connection c, String token, List<Failure> failures, long now) throws SQLException {
        if (failures.isEmpty()) {
            return 0;
        }
        List<Long> seqs = failures.stream().map(Failure::seq).toList();
        return inTransaction(c, null, () -> {
            int moved;
            try (PreparedStatement ins = c.prepareStatement(dialect.copyToDeadLetter(t, dl, failures.size()))) {
                int p = 1;
                for (int column = 0; column < 3; column++) {
                    for (Failure f : failures) {
                        ins.setLong(p++, f.seq());
                        ins.setString(p++, OutboxRows.errorColumn(f.error(), column));
                    }
                }
                ins.setLong(p++, now);
                ins.setString(p++, token);
                for (Long seq : seqs) {
                    ins.setLong(p++, seq);
                }
                moved = ins.executeUpdate();
            }
            deleteClaimed(c, token, seqs, null);
            return moved;
        });
    }

    /**
     * Deletes published rows older than {@code publishedBefore} (retention of
     * {@link AckMode#MARK_PUBLISHED} and {@link AckMode#KEEP_UNTIL_DONE}).
     */
    public int purgePublished(Connection c, long publishedBefore) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.purgePublished(t))) {
                ps.setLong(1, publishedBefore);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Runs the publisher's bookkeeping {@code work} as its own transaction: with a relaxed commit, an
     * explicit transaction whose first statement relaxes it (two more round trips on loopback, against
     * a log flush saved); otherwise in auto-commit.
     */
    private <T> T bookkeeping(Connection c, Transactions.SqlWork<T> work) throws SQLException {
        return relaxedCommit == null ? inAutoCommit(c, work) : inTransaction(c, relaxedCommit, work);
    }

    /**
     * The one-statement claim: the dialect's overload with the relaxed-commit source when it has one,
     * otherwise its plain statement (which a dialect may have overridden on its own).
     */
    private String claimReturning(String leaseNow) {
        return relaxedSource == null ? dialect.claimReturning(t, leaseNow) : dialect.claimReturning(t, leaseNow, relaxedSource);
    }

    /**
     * Runs the claim's or the acknowledgement's single statement: in auto-commit when the dialect's
     * {@code relaxedCommitSource} is joined into it (the statement relaxes its own commit: one round
     * trip instead of three), otherwise as {@link #bookkeeping}.
     */
    private <T> T oneStatement(Connection c, Transactions.SqlWork<T> work) throws SQLException {
        return relaxedSource != null ? inAutoCommit(c, work) : bookkeeping(c, work);
    }
}
