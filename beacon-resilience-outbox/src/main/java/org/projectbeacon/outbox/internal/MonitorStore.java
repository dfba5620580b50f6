package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The monitor's statements: the stuck-job figures and the publisher's backlog. Thread-safe. */
public final class MonitorStore {

    /** The stuck-job figures. */
    public record Stats(long unpublished, Instant oldestCreatedAt, long olderThanThreshold, long deadLetters) {}

    private final OutboxDialect dialect;
    private final String statsSql;
    private final String deadLettersSql;

    /** The statements over {@code config}'s tables, whose dialect must be known. */
    public MonitorStore(OutboxConfig config) {
        this.dialect = config.dialect();
        this.statsSql = dialect.backlogStats(config.outboxTable());
        this.deadLettersSql = dialect.countDeadLetters(config.deadLetterTable(),
                dialect.deadLetterCondition(DeadLetterFilter.all()));
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
