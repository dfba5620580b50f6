package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.FailurePattern;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxRecord;

/**
 * Every statement of the publisher and the dead letter queue, batched so that a claimed batch costs
 * a fixed number of round trips whatever its size. Methods take the connection to use; the claim and
 * the dead-lettering manage their own short transaction on it, the others run in auto-commit.
 * Stateless apart from the SQL text; thread-safe.
 */
public final class OutboxStore {

    /** A claimed batch: the token that fences its acknowledgement, the rows, and how many were reclaimed from expired leases. */
    public record Claim(String token, List<ClaimedRow> rows, int reclaimed) {
        /** Whether nothing was claimed. */
        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    /** One claimed row: its sequence number, the record and its history. */
    public record ClaimedRow(long seq, OutboxRecord record, String history) {}

    /** One failure to store: the row, the error text, and the next attempt time (ignored when dead-lettering). */
    public record Failure(long seq, Throwable error, long nextAttemptAt) {}

    /**
     * A row kept under {@link AckMode#KEEP_UNTIL_DONE}: its sequence number, message id, stream, the
     * stream entry id it was published as ({@link #UNKNOWN_ENTRY} when the sink did not say) and its
     * history.
     */
    public record KeptRow(long seq, UUID id, String stream, String entryId, String history) {}

    /**
     * The stream entry id stored for a message published under {@link AckMode#KEEP_UNTIL_DONE} when
     * the sink reported a duplicate without an entry id: the row waits for its message to be done (or
     * for the retention), since whether its entry was lost cannot be checked. Never a Redis entry id.
     */
    public static final String UNKNOWN_ENTRY = "?";

    /** The stuck-job figures. */
    public record Stats(long unpublished, Instant oldestCreatedAt, long olderThanThreshold, long deadLetters) {}

    private static final int MAX_ERROR = 1900;
    private static final Pattern UUIDS = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final String DL_COLUMNS =
            "id, stream, msg_key, payload, content_type, headers, created_at, attempts, error_class, error_message, error_pattern, history, dead_at";

    private final OutboxConfig config;
    private final String t;
    private final String dl;
    private final String claimSql;
    private final String claimReturningSql;
    private final String relaxedCommit;

    /** Statements over {@code config}'s tables, every commit durable. */
    public OutboxStore(OutboxConfig config) {
        this(config, false);
    }

    /**
     * Statements over {@code config}'s tables; with {@code fastBookkeepingCommit} the claim,
     * acknowledgement and retry records commit without waiting for the log flush where the dialect
     * allows it (see {@code PublisherConfig.fastBookkeepingCommit()} for why that loses nothing).
     */
    public OutboxStore(OutboxConfig config, boolean fastBookkeepingCommit) {
        this.config = config;
        this.relaxedCommit = fastBookkeepingCommit ? config.dialect().relaxedCommitStatement() : null;
        this.t = config.outboxTable();
        this.dl = config.deadLetterTable();
        // Per-key order: a keyed row is claimable only when no older unpublished row of its key exists,
        // whatever that row's state (leased, backing off). Unkeyed rows are never held back.
        this.claimSql = "SELECT o.seq, o.id, o.stream, o.msg_key, o.payload, o.content_type, o.headers, o.created_at,"
                + " o.attempts, o.lease_until, o.history FROM " + t + " o"
                + " WHERE o.published_at IS NULL AND o.available_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)"
                + " AND (o.msg_key IS NULL OR NOT EXISTS (SELECT 1 FROM " + t + " p WHERE p.msg_key = o.msg_key"
                + " AND p.published_at IS NULL AND p.seq < o.seq))"
                + " ORDER BY o.seq LIMIT ? FOR UPDATE SKIP LOCKED";
        String due = "SELECT o.seq, o.lease_until AS old_lease FROM " + t + " o"
                + claimSql.substring(claimSql.indexOf(" WHERE "));
        this.claimReturningSql = "WITH due AS (" + due + ") UPDATE " + t
                + " SET lease_owner = ?, lease_until = ?, claim_token = ? FROM due WHERE " + t + ".seq = due.seq"
                + " RETURNING " + t + ".seq, id, stream, msg_key, payload, content_type, headers, created_at, attempts,"
                + " due.old_lease, history";
    }

    /** The configuration. */
    public OutboxConfig config() {
        return config;
    }

    /**
     * Claims up to {@code limit} due rows for {@code owner} until {@code leaseUntil} in one short
     * transaction (select with SKIP LOCKED, one update, commit).
     */
    public Claim claim(Connection c, String owner, int limit, long now, long leaseUntil) throws SQLException {
        if (config.dialect().claimsWithUpdateReturning()) {
            return claimReturning(c, owner, limit, now, leaseUntil);
        }
        return inTransaction(c, null, () -> {
            List<ClaimedRow> rows = new ArrayList<>();
            int reclaimed = 0;
            try (PreparedStatement ps = c.prepareStatement(claimSql)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(10);
                        if (!rs.wasNull()) {
                            reclaimed++;
                        }
                        rows.add(new ClaimedRow(rs.getLong(1), new OutboxRecord(UUID.fromString(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6),
                                HeaderCodec.decode(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9)),
                                rs.getString(11)));
                    }
                }
            }
            String token = UUID.randomUUID().toString();
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + t
                        + " SET lease_owner = ?, lease_until = ?, claim_token = ? WHERE seq IN (" + marks(rows.size()) + ")")) {
                    ps.setString(1, owner);
                    ps.setLong(2, leaseUntil);
                    ps.setString(3, token);
                    for (int i = 0; i < rows.size(); i++) {
                        ps.setLong(4 + i, rows.get(i).seq());
                    }
                    ps.executeUpdate();
                }
            }
            return new Claim(token, rows, reclaimed);
        });
    }

    /** The one-statement claim: one round trip in auto-commit, the statement being its own short transaction. */
    private Claim claimReturning(Connection c, String owner, int limit, long now, long leaseUntil) throws SQLException {
        String token = UUID.randomUUID().toString();
        List<ClaimedRow> rows = new ArrayList<>();
        int reclaimed = bookkeeping(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(claimReturningSql)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setInt(3, limit);
                ps.setString(4, owner);
                ps.setLong(5, leaseUntil);
                ps.setString(6, token);
                int expired = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(10);
                        if (!rs.wasNull()) {
                            expired++;
                        }
                        rows.add(new ClaimedRow(rs.getLong(1), new OutboxRecord(UUID.fromString(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6),
                                HeaderCodec.decode(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9)),
                                rs.getString(11)));
                    }
                }
                return expired;
            }
        });
        // RETURNING gives no order; the sink must see the claim order (per-key and oldest-first).
        rows.sort(java.util.Comparator.comparingLong(ClaimedRow::seq));
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
     * elements stored as {@link #UNKNOWN_ENTRY}) in {@code stream_entry_id}, still one statement.
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
        StringBuilder entryCase = new StringBuilder();
        if (keep) {
            // One CASE expression rather than a batch: the acknowledgement stays one statement.
            entryCase.append(", stream_entry_id = CASE seq");
            for (int i = 0; i < seqs.size(); i++) {
                entryCase.append(" WHEN ? THEN ?");
            }
            entryCase.append(" END");
        }
        String sql = mode == AckMode.DELETE
                ? "DELETE FROM " + t + " WHERE claim_token = ? AND seq IN (" + marks(seqs.size()) + ")"
                : "UPDATE " + t + " SET published_at = " + now + entryCase
                        + ", lease_owner = NULL, lease_until = NULL, claim_token = NULL, last_error = NULL"
                        + " WHERE claim_token = ? AND seq IN (" + marks(seqs.size()) + ")";
        return bookkeeping(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                if (keep) {
                    for (int i = 0; i < seqs.size(); i++) {
                        String entry = entryIds.get(i);
                        ps.setLong(p++, seqs.get(i));
                        ps.setString(p++, entry == null ? UNKNOWN_ENTRY : entry);
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

    /** Records failed attempts (attempts + 1, last error, next attempt time, lease released) in one batch. */
    public int fail(Connection c, String token, List<Failure> failures) throws SQLException {
        if (failures.isEmpty()) {
            return 0;
        }
        return bookkeeping(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET attempts = attempts + 1, last_error = ?,"
                    + " available_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL"
                    + " WHERE claim_token = ? AND seq = ?")) {
                for (Failure f : failures) {
                    ps.setString(1, truncate(describe(f.error())));
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET last_error = ?, available_at = ?,"
                    + " lease_owner = NULL, lease_until = NULL, claim_token = NULL WHERE claim_token = ?")) {
                ps.setString(1, truncate(describe(error)));
                ps.setLong(2, availableAt);
                ps.setString(3, token);
                return ps.executeUpdate();
            }
        });
    }

    /** Moves the failed rows of {@code token} to the dead letter table in one transaction (batched insert-select and delete). */
    public int deadLetter(Connection c, String token, List<Failure> failures, long now) throws SQLException {
        if (failures.isEmpty()) {
            return 0;
        }
        return inTransaction(c, null, () -> {
            // One insert-select and one delete whatever the number of failures; the per-row error
            // columns come from CASE expressions (MariaDB's bulk protocol cannot batch INSERT ... SELECT).
            int n = failures.size();
            StringBuilder cases = new StringBuilder();
            for (int col = 0; col < 3; col++) {
                cases.append(col == 0 ? "" : ", ").append("CASE seq");
                for (int i = 0; i < n; i++) {
                    cases.append(" WHEN ? THEN ?");
                }
                cases.append(" END");
            }
            int moved;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dl + " (" + DL_COLUMNS + ")"
                    + " SELECT id, stream, msg_key, payload, content_type, headers, created_at, attempts + 1, " + cases
                    + ", history, ? FROM " + t + " WHERE claim_token = ? AND seq IN (" + marks(n) + ")")) {
                int p = 1;
                for (int col = 0; col < 3; col++) {
                    for (Failure f : failures) {
                        Throwable e = f.error();
                        ins.setLong(p++, f.seq());
                        ins.setString(p++, switch (col) {
                            case 0 -> truncate(e.getClass().getName());
                            case 1 -> truncate(String.valueOf(e.getMessage()));
                            default -> normalise(String.valueOf(e.getMessage()));
                        });
                    }
                }
                ins.setLong(p++, now);
                ins.setString(p++, token);
                for (Failure f : failures) {
                    ins.setLong(p++, f.seq());
                }
                moved = ins.executeUpdate();
            }
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM " + t + " WHERE claim_token = ? AND seq IN (" + marks(n) + ")")) {
                del.setString(1, token);
                for (int i = 0; i < n; i++) {
                    del.setLong(2 + i, failures.get(i).seq());
                }
                del.executeUpdate();
            }
            return moved;
        });
    }

    /**
     * Inserts a message a consumer gave up on into the dead letter table, so it is listed, grouped
     * and requeued like a message the publisher gave up on.
     */
    public void addDeadLetter(Connection c, OutboxRecord r, int attempts, Throwable error, String history, long now)
            throws SQLException {
        inAutoCommit(c, () -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + dl + " (" + DL_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, r.id().toString());
                ins.setString(2, r.stream());
                ins.setString(3, r.key());
                ins.setBytes(4, r.payload());
                ins.setString(5, r.contentType());
                ins.setString(6, HeaderCodec.encode(r.headers()));
                ins.setLong(7, r.createdAt().toEpochMilli());
                ins.setInt(8, attempts);
                ins.setString(9, truncate(error.getClass().getName()));
                ins.setString(10, truncate(String.valueOf(error.getMessage())));
                ins.setString(11, normalise(String.valueOf(error.getMessage())));
                ins.setString(12, history);
                ins.setLong(13, now);
                return ins.executeUpdate();
            }
        });
    }

    /**
     * Up to {@code limit} rows kept under {@link AckMode#KEEP_UNTIL_DONE} (published, with an entry id)
     * that were published before {@code publishedBefore}, with a sequence number above
     * {@code afterSeq}, in sequence order: one page of the reconciler's keyset walk.
     */
    public List<KeptRow> kept(Connection c, long afterSeq, long publishedBefore, int limit) throws SQLException {
        List<KeptRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, stream, stream_entry_id, history FROM " + t
                + " WHERE seq > ? AND published_at IS NOT NULL AND published_at < ? AND stream_entry_id IS NOT NULL"
                + " ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, publishedBefore);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new KeptRow(rs.getLong(1), UUID.fromString(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /**
     * Deletes the kept rows {@code seqs} whose messages are done, in one statement; a row made
     * unpublished again meanwhile stays. Returns how many were deleted.
     */
    public int deleteKept(Connection c, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return 0;
        }
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t
                    + " WHERE published_at IS NOT NULL AND seq IN (" + marks(seqs.size()) + ")")) {
                for (int i = 0; i < seqs.size(); i++) {
                    ps.setLong(1 + i, seqs.get(i));
                }
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Makes the kept {@code rows} unpublished again, due at {@code now}, each with a history line
     * saying its stream entry was gone, in one batch; a row whose entry id changed meanwhile (another
     * reconciler, a new publication) is left alone. Returns how many rows changed.
     */
    public int republish(Connection c, List<KeptRow> rows, long now) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET published_at = NULL,"
                    + " stream_entry_id = NULL, available_at = ?, history = ?"
                    + " WHERE seq = ? AND published_at IS NOT NULL AND stream_entry_id = ?")) {
                for (KeptRow r : rows) {
                    String line = Instant.ofEpochMilli(now) + " republished: stream entry " + r.entryId() + " was gone";
                    ps.setLong(1, now);
                    ps.setString(2, r.history() == null || r.history().isEmpty() ? line : r.history() + "\n" + line);
                    ps.setLong(3, r.seq());
                    ps.setString(4, r.entryId());
                    ps.addBatch();
                }
                return sum(ps.executeBatch());
            }
        });
    }

    /**
     * Deletes published rows older than {@code publishedBefore} (retention of
     * {@link AckMode#MARK_PUBLISHED} and {@link AckMode#KEEP_UNTIL_DONE}).
     */
    public int purgePublished(Connection c, long publishedBefore) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + t + " WHERE published_at IS NOT NULL AND published_at < ?")) {
                ps.setLong(1, publishedBefore);
                return ps.executeUpdate();
            }
        });
    }

    /** The stuck-job figures: unpublished count, oldest creation time, count created before {@code threshold}, dead letters. */
    public Stats stats(Connection c, long threshold) throws SQLException {
        String serial = config.dialect().serialScanStatement();
        return serial == null ? readStats(c, threshold) : inTransaction(c, serial, () -> readStats(c, threshold));
    }

    private Stats readStats(Connection c, long threshold) throws SQLException {
        long unpublished;
        Instant oldest = null;
        long older;
        long dead;
        // One pass over the partial age index gives all three figures (two passes took twice as long
        // with a million-row backlog); CASE rather than FILTER because MariaDB has no FILTER.
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(created_at),"
                + " COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0) FROM " + t + " WHERE published_at IS NULL")) {
            ps.setLong(1, threshold);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                unpublished = rs.getLong(1);
                long min = rs.getLong(2);
                if (!rs.wasNull()) {
                    oldest = Instant.ofEpochMilli(min);
                }
                older = rs.getLong(3);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + dl); ResultSet rs = ps.executeQuery()) {
            rs.next();
            dead = rs.getLong(1);
        }
        return new Stats(unpublished, oldest, older, dead);
    }

    // ---- dead letter queue ----

    private record Where(String sql, List<Object> params) {}

    private static Where where(DeadLetterFilter f) {
        StringBuilder sb = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (f.stream() != null) {
            sb.append(" AND stream = ?");
            params.add(f.stream());
        }
        if (f.errorClass() != null) {
            sb.append(" AND error_class = ?");
            params.add(f.errorClass());
        }
        if (f.from() != null) {
            sb.append(" AND dead_at >= ?");
            params.add(f.from().toEpochMilli());
        }
        if (f.to() != null) {
            sb.append(" AND dead_at < ?");
            params.add(f.to().toEpochMilli());
        }
        return new Where(sb.toString(), params);
    }

    private static int bind(PreparedStatement ps, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            ps.setObject(i++, p);
        }
        return i;
    }

    /** A page of dead letters, newest first. */
    public List<DeadLetter> listDeadLetters(Connection c, DeadLetterFilter filter, int offset, int limit) throws SQLException {
        Where w = where(filter);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DL_COLUMNS + " FROM " + dl + w.sql()
                + " ORDER BY dead_at DESC, id LIMIT ? OFFSET ?")) {
            int i = bind(ps, w.params());
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            return readDeadLetters(ps);
        }
    }

    /** The dead letter of {@code id}. */
    public Optional<DeadLetter> findDeadLetter(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DL_COLUMNS + " FROM " + dl + " WHERE id = ?")) {
            ps.setString(1, id.toString());
            return readDeadLetters(ps).stream().findFirst();
        }
    }

    private static List<DeadLetter> readDeadLetters(PreparedStatement ps) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                OutboxRecord r = new OutboxRecord(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getBytes(4), rs.getString(5), HeaderCodec.decode(rs.getString(6)),
                        Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8));
                String history = rs.getString(12);
                out.add(new DeadLetter(r, rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11),
                        history == null ? "" : history, Instant.ofEpochMilli(rs.getLong(13))));
            }
        }
        return out;
    }

    /** The number of matching dead letters. */
    public long countDeadLetters(Connection c, DeadLetterFilter filter) throws SQLException {
        Where w = where(filter);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + dl + w.sql())) {
            bind(ps, w.params());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Groups the matching dead letters by error class and pattern. */
    public List<FailurePattern> failurePatterns(Connection c, DeadLetterFilter filter) throws SQLException {
        Where w = where(filter);
        try (PreparedStatement ps = c.prepareStatement("SELECT error_class, error_pattern, COUNT(*), MIN(dead_at), MAX(dead_at)"
                + " FROM " + dl + w.sql() + " GROUP BY error_class, error_pattern ORDER BY COUNT(*) DESC, error_class, error_pattern")) {
            bind(ps, w.params());
            List<FailurePattern> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FailurePattern(rs.getString(1), rs.getString(2), rs.getLong(3),
                            Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            return out;
        }
    }

    /** Moves the given dead letters back into the outbox in one transaction; returns how many moved. */
    public int requeue(Connection c, List<DeadLetter> letters, long now) throws SQLException {
        if (letters.isEmpty()) {
            return 0;
        }
        return inTransaction(c, null, () -> {
            String insertSql = config.dialect().insertIfAbsent(t);
            int moved = 0;
            try (PreparedStatement ins = c.prepareStatement(insertSql)) {
                for (DeadLetter d : letters) {
                    OutboxRecord r = d.message();
                    String line = Instant.ofEpochMilli(d.deadAt().toEpochMilli()) + " dead-lettered after " + d.attempts()
                            + " attempts: " + d.errorClass() + ": " + d.errorMessage() + "; requeued "
                            + Instant.ofEpochMilli(now);
                    String history = d.history().isEmpty() ? line : d.history() + "\n" + line;
                    ins.setString(1, r.id().toString());
                    ins.setString(2, r.stream());
                    ins.setString(3, r.key());
                    ins.setBytes(4, r.payload());
                    ins.setString(5, r.contentType());
                    ins.setString(6, HeaderCodec.encode(r.headers()));
                    ins.setLong(7, now);
                    ins.setLong(8, now);
                    ins.setInt(9, 0);
                    ins.setString(10, history);
                    if (config.dialect().insertRepeatsId()) {
                        ins.setString(11, r.id().toString());
                    }
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + dl + " WHERE id = ?")) {
                for (DeadLetter d : letters) {
                    del.setString(1, d.message().id().toString());
                    del.addBatch();
                }
                moved = sum(del.executeBatch());
            }
            return moved;
        });
    }

    /** Deletes the matching dead letters; returns how many. */
    public long purgeDeadLetters(Connection c, DeadLetterFilter filter) throws SQLException {
        Where w = where(filter);
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dl + w.sql())) {
                bind(ps, w.params());
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the dead letter {@code id}; returns whether it existed. */
    public boolean deleteDeadLetter(Connection c, UUID id) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dl + " WHERE id = ?")) {
                ps.setString(1, id.toString());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    /** The error message with ids, quoted values, hex and numbers replaced, for grouping. */
    public static String normalise(String message) {
        String s = message == null ? "" : message;
        s = UUIDS.matcher(s).replaceAll("<uuid>");
        s = QUOTED.matcher(s).replaceAll("<value>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = NUMBERS.matcher(s).replaceAll("<n>");
        s = SPACES.matcher(s).replaceAll(" ").strip();
        return s.length() > 600 ? s.substring(0, 600) : s;
    }

    static String describe(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }

    private static String marks(int n) {
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ",?");
        }
        return sb.toString();
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int n : counts) {
            // Drivers may report SUCCESS_NO_INFO (-2) for batched statements; count those as one.
            total += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(n, 0);
        }
        return total;
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs the publisher's bookkeeping {@code work} as its own transaction: with a relaxed commit, an
     * explicit transaction whose first statement relaxes it (two more round trips on loopback, against
     * a log flush saved); otherwise as {@link #inAutoCommit}.
     */
    private <T> T bookkeeping(Connection c, SqlWork<T> work) throws SQLException {
        return relaxedCommit == null ? inAutoCommit(c, work) : inTransaction(c, relaxedCommit, work);
    }

    /**
     * Runs {@code work} as one transaction on {@code c}, after {@code firstStatement} when not null,
     * rolling back on failure and restoring the connection's auto-commit mode either way.
     */
    private static <T> T inTransaction(Connection c, String firstStatement, SqlWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (firstStatement != null) {
                try (Statement st = c.createStatement()) {
                    st.execute(firstStatement);
                }
            }
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static <T> T inAutoCommit(Connection c, SqlWork<T> work) throws SQLException {
        // On a connection already in a transaction the work ends it, committed, like a statement would.
        return c.getAutoCommit() ? work.run() : inTransaction(c, null, work);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
