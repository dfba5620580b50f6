package org.projectbeacon.outbox.internal;

import static org.projectbeacon.outbox.internal.Transactions.inAutoCommit;
import static org.projectbeacon.outbox.internal.Transactions.inTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.FailurePattern;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The dead letter queue's statements: list, find, count, group, requeue, purge and add. Thread-safe. */
public final class DeadLetterStore {

    private final OutboxDialect dialect;
    private final String t;
    private final String dl;

    /** The statements over {@code config}'s tables, whose dialect must be known. */
    public DeadLetterStore(OutboxConfig config) {
        this.dialect = config.dialect();
        this.t = config.outboxTable();
        this.dl = config.deadLetterTable();
    }

    /** Binds {@code filter}'s values in the order of {@link OutboxDialect#deadLetterCondition}; returns the next parameter index. */
    private static int bind(PreparedStatement ps, DeadLetterFilter f) throws SQLException {
        int i = 1;
        if (f.stream() != null) {
            ps.setString(i++, f.stream());
        }
        if (f.errorClass() != null) {
            ps.setString(i++, f.errorClass());
        }
        if (f.from() != null) {
            ps.setLong(i++, f.from().toEpochMilli());
        }
        if (f.to() != null) {
            ps.setLong(i++, f.to().toEpochMilli());
        }
        return i;
    }

    /** A page of dead letters, newest first. */
    public List<DeadLetter> list(Connection c, DeadLetterFilter filter, int offset, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.selectDeadLetters(dl, dialect.deadLetterCondition(filter)))) {
            int i = bind(ps, filter);
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            return read(ps);
        }
    }

    /** The dead letter of {@code id}. */
    public Optional<DeadLetter> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.selectDeadLetter(dl))) {
            ps.setString(1, id.toString());
            return read(ps).stream().findFirst();
        }
    }

    private static List<DeadLetter> read(PreparedStatement ps) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(OutboxRows.deadLetter(rs));
            }
        }
        return out;
    }

    /** The number of matching dead letters. */
    public long count(Connection c, DeadLetterFilter filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.countDeadLetters(dl, dialect.deadLetterCondition(filter)))) {
            bind(ps, filter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Groups the matching dead letters by error class and pattern, most frequent first. */
    public List<FailurePattern> failurePatterns(Connection c, DeadLetterFilter filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.failurePatterns(dl, dialect.deadLetterCondition(filter)))) {
            bind(ps, filter);
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

    /** Moves the given dead letters back into the outbox, attempts reset, in one transaction; returns how many moved. */
    public int requeue(Connection c, List<DeadLetter> letters, long now) throws SQLException {
        if (letters.isEmpty()) {
            return 0;
        }
        return inTransaction(c, null, () -> {
            try (PreparedStatement ins = c.prepareStatement(dialect.insertIfAbsent(t))) {
                for (DeadLetter d : letters) {
                    String line = Instant.ofEpochMilli(d.deadAt().toEpochMilli()) + " dead-lettered after " + d.attempts()
                            + " attempts: " + d.errorClass() + ": " + d.errorMessage() + "; requeued "
                            + Instant.ofEpochMilli(now);
                    String history = d.history().isEmpty() ? line : d.history() + "\n" + line;
                    OutboxRows.bindInsert(ins, dialect, d.message(), now, now, 0, history);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement del = c.prepareStatement(dialect.deleteDeadLetter(dl))) {
                for (DeadLetter d : letters) {
                    del.setString(1, d.message().id().toString());
                    del.addBatch();
                }
                return Transactions.sum(del.executeBatch());
            }
        });
    }

    /** Deletes the matching dead letters; returns how many. */
    public long purge(Connection c, DeadLetterFilter filter) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.deleteDeadLetters(dl, dialect.deadLetterCondition(filter)))) {
                bind(ps, filter);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the dead letter {@code id}; returns whether it existed. */
    public boolean delete(Connection c, UUID id) throws SQLException {
        return inAutoCommit(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.deleteDeadLetter(dl))) {
                ps.setString(1, id.toString());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    /**
     * Inserts a message a consumer gave up on into the dead letter table, so it is listed, grouped
     * and requeued like a message the publisher gave up on.
     */
    public void add(Connection c, OutboxRecord r, int attempts, Throwable error, String history, long now)
            throws SQLException {
        inAutoCommit(c, () -> {
            try (PreparedStatement ins = c.prepareStatement(dialect.insertDeadLetter(dl))) {
                OutboxRows.bindDeadLetter(ins, r, attempts, error, history, now);
                return ins.executeUpdate();
            }
        });
    }
}
