package org.projectbeacon.outbox.internal;

import static org.projectbeacon.outbox.internal.Transactions.inAutoCommit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The reconciler's statements over rows kept under {@link AckMode#KEEP_UNTIL_DONE}. Thread-safe. */
public final class ReconcilerStore {

    /**
     * A kept row: its sequence number, message id, stream, the stream entry id it was published as
     * ({@link #UNKNOWN_ENTRY} when the sink did not say) and its history.
     */
    public record KeptRow(long seq, UUID id, String stream, String entryId, String history) {}

    /**
     * The stream entry id stored for a message published under {@link AckMode#KEEP_UNTIL_DONE} when
     * the sink reported a duplicate without an entry id: the row waits for its message to be done (or
     * for the retention), since whether its entry was lost cannot be checked. Never a Redis entry id.
     */
    public static final String UNKNOWN_ENTRY = "?";

    private final OutboxDialect dialect;
    private final String t;

    /** The statements over {@code config}'s outbox table, whose dialect must be known. */
    public ReconcilerStore(OutboxConfig config) {
        this.dialect = config.dialect();
        this.t = config.outboxTable();
    }

    /**
     * Up to {@code limit} kept rows (published, with an entry id) published before
     * {@code publishedBefore}, with a sequence number above {@code afterSeq}, in sequence order: one
     * page of the reconciler's keyset walk.
     */
    public List<KeptRow> kept(Connection c, long afterSeq, long publishedBefore, int limit) throws SQLException {
        List<KeptRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(dialect.selectKept(t))) {
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
            try (PreparedStatement ps = c.prepareStatement(dialect.deleteKept(t, seqs.size()))) {
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
            try (PreparedStatement ps = c.prepareStatement(dialect.republishKept(t))) {
                for (KeptRow r : rows) {
                    String line = Instant.ofEpochMilli(now) + " republished: stream entry " + r.entryId() + " was gone";
                    ps.setLong(1, now);
                    ps.setString(2, r.history() == null || r.history().isEmpty() ? line : r.history() + "\n" + line);
                    ps.setLong(3, r.seq());
                    ps.setString(4, r.entryId());
                    ps.addBatch();
                }
                return Transactions.sum(ps.executeBatch());
            }
        });
    }
}
