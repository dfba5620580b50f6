package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The monitor's statements: the stuck-job figures, the publisher's backlog, the list of unpublished
 * rows and making one due. Thread-safe.
 */
public final class MonitorStore {

    /** The stuck-job figures. */
    public record Stats(long unpublished, Instant oldestCreatedAt, long olderThanThreshold, long deadLetters) {}

    private final OutboxDialect dialect;
    private final String statsSql;
    private final String deadLettersSql;
    private final String unpublishedSql;
    private final String makeDueSql;

    /** One unpublished row as listed; times in epoch milliseconds, {@code leaseUntil} null when not leased. */
    public record Unpublished(UUID id, String stream, String key, long createdAt, long availableAt, int attempts,
            String lastError, Long leaseUntil) {}

    /** The statements over {@code config}'s tables, whose dialect must be known. */
    public MonitorStore(OutboxConfig config) {
        this.dialect = config.dialect();
        this.statsSql = dialect.backlogStats(config.outboxTable());
        this.deadLettersSql = dialect.countDeadLetters(config.deadLetterTable(),
                dialect.deadLetterCondition(DeadLetterFilter.all()));
        this.unpublishedSql = dialect.selectUnpublished(config.outboxTable());
        this.makeDueSql = dialect.makeDue(config.outboxTable());
    }

    /** Up to {@code limit} unpublished rows, oldest first. */
    public List<Unpublished> unpublished(Connection c, int limit) throws SQLException {
        List<Unpublished> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(unpublishedSql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long lease = rs.getLong(8);
                    Long leaseUntil = rs.wasNull() ? null : lease;
                    rows.add(new Unpublished(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getLong(5), rs.getInt(6), rs.getString(7), leaseUntil));
                }
            }
        }
        return rows;
    }

    /** Makes the unpublished row {@code id} available at {@code now}; false when no such row is unpublished. */
    public boolean makeDue(Connection c, UUID id, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(makeDueSql)) {
            ps.setLong(1, now);
            ps.setString(2, id.toString());
            return ps.executeUpdate() > 0;
        }
    }

    /** The stuck-job figures: unpublished count, oldest creation time, count created before {@code threshold}, dead letters. */
    public Stats stats(Connection c, long threshold) throws SQLException {
        String serial = dialect.serialScanStatement();
        return serial == null ? readStats(c, threshold) : Transactions.inTransaction(c, serial, () -> readStats(c, threshold));
    }

    private Stats readStats(Connection c, long threshold) throws SQLException {
        long unpublished;
        Instant oldest = null;
        long older;
        try (PreparedStatement ps = c.prepareStatement(statsSql)) {
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
        try (PreparedStatement ps = c.prepareStatement(deadLettersSql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Stats(unpublished, oldest, older, rs.getLong(1));
        }
    }
}
