package org.projectbeacon.outbox.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The one mapping between outbox and dead letter rows and Java values, shared by every store: how a
 * record is read from a result set and bound into an insert, and how an error is written (class,
 * truncated message, normalised pattern). Stateless; thread-safe.
 */
public final class OutboxRows {

    /** Room left in the 2000-character error columns. */
    static final int MAX_ERROR = 1900;
    private static final Pattern UUIDS = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private OutboxRows() {}

    /**
     * The record in the columns {@code id, stream, msg_key, payload, content_type, headers,
     * created_at, attempts} starting at column {@code first} of the current row.
     */
    static OutboxRecord record(ResultSet rs, int first) throws SQLException {
        return new OutboxRecord(UUID.fromString(rs.getString(first)), rs.getString(first + 1), rs.getString(first + 2),
                rs.getBytes(first + 3), rs.getString(first + 4), HeaderCodec.decode(rs.getString(first + 5)),
                Instant.ofEpochMilli(rs.getLong(first + 6)), rs.getInt(first + 7));
    }

    /** The dead letter in the columns {@link OutboxDialect#DEAD_LETTER_COLUMNS} of the current row. */
    static DeadLetter deadLetter(ResultSet rs) throws SQLException {
        OutboxRecord r = record(rs, 1);
        String history = rs.getString(12);
        return new DeadLetter(r, rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11),
                history == null ? "" : history, Instant.ofEpochMilli(rs.getLong(13)));
    }

    /**
     * Binds the parameters of {@link OutboxDialect#insertIfAbsent}: {@code r}'s message columns with
     * the given times, attempts and history (its own created-at and attempts are not used).
     */
    static void bindInsert(PreparedStatement ps, OutboxDialect dialect, OutboxRecord r, long createdAt, long availableAt,
            int attempts, String history) throws SQLException {
        String id = r.id().toString();
        ps.setString(1, id);
        ps.setString(2, r.stream());
        ps.setString(3, r.key());
        ps.setBytes(4, r.payload());
        ps.setString(5, r.contentType());
        ps.setString(6, HeaderCodec.encode(r.headers()));
        ps.setLong(7, createdAt);
        ps.setLong(8, availableAt);
        ps.setInt(9, attempts);
        ps.setString(10, history);
        if (dialect.insertRepeatsId()) {
            ps.setString(11, id);
        }
    }

    /** Binds the parameters of {@link OutboxDialect#insertDeadLetter}. */
    static void bindDeadLetter(PreparedStatement ps, OutboxRecord r, int attempts, Throwable error, String history,
            long deadAt) throws SQLException {
        ps.setString(1, r.id().toString());
        ps.setString(2, r.stream());
        ps.setString(3, r.key());
        ps.setBytes(4, r.payload());
        ps.setString(5, r.contentType());
        ps.setString(6, HeaderCodec.encode(r.headers()));
        ps.setLong(7, r.createdAt().toEpochMilli());
        ps.setInt(8, attempts);
        ps.setString(9, errorColumn(error, 0));
        ps.setString(10, errorColumn(error, 1));
        ps.setString(11, errorColumn(error, 2));
        ps.setString(12, history);
        ps.setLong(13, deadAt);
    }

    /** The dead letter's error columns: 0 the class, 1 the message, 2 the pattern, each within its column. */
    static String errorColumn(Throwable e, int column) {
        return switch (column) {
            case 0 -> truncate(e.getClass().getName());
            case 1 -> truncate(String.valueOf(e.getMessage()));
            default -> normalise(String.valueOf(e.getMessage()));
        };
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

    /** The error as stored in {@code last_error} and history lines: class and message. */
    static String describe(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    /** {@code s} cut to {@link #MAX_ERROR} characters. */
    static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
