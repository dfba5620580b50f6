package org.projectbeacon.example.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The job table and its history, over plain JDBC (PostgreSQL, MariaDB or H2).
 *
 * <p>{@link #insert}, {@link #complete} and {@link #fail} join the caller's transaction, so a job row
 * and its outbox message commit together, and a job's final status commits together with the
 * processing ledger's DONE mark (exactly-once effects over at-least-once delivery). Which worker may
 * run a job is decided by the ledger's lease, not here: {@link #start} refuses only a job that is
 * COMPLETED already. Thread-safe.
 */
public final class JobStore {

    /** Longest accepted {@code Idempotency-Key}: {@value} characters. */
    public static final int MAX_IDEMPOTENCY_KEY = 200;

    private final DataSource dataSource;
    private final Clock clock;
    private final String jobsTable;
    private final String historyTable;

    /** A store over {@code dataSource} with tables {@code <prefix>_jobs} and {@code <prefix>_job_history}. */
    public JobStore(DataSource dataSource, Clock clock, String prefix) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.jobsTable = prefix + "_jobs";
        this.historyTable = prefix + "_job_history";
    }

    /** Creates the tables when missing, and the idempotency key column of tables from before it existed. */
    public void migrate() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + jobsTable + " ("
                    + "id VARCHAR(36) PRIMARY KEY, type VARCHAR(64) NOT NULL, payload TEXT NOT NULL, region VARCHAR(32),"
                    + " status VARCHAR(16) NOT NULL, attempts INT NOT NULL, processed_count INT NOT NULL,"
                    + " last_error VARCHAR(1000), created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)");
            statement.execute("ALTER TABLE " + jobsTable + " ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR("
                    + MAX_IDEMPOTENCY_KEY + ")");
            // Unique: two requests racing with one key cannot both insert; NULLs (no key) never collide.
            statement.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + jobsTable + "_idem_uq ON " + jobsTable
                    + " (idempotency_key)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + historyTable + " ("
                    + "job_id VARCHAR(36) NOT NULL, at BIGINT NOT NULL, status VARCHAR(16) NOT NULL, detail VARCHAR(1000))");
        }
    }

    /**
     * Inserts a QUEUED job in the caller's transaction; neither commits nor rolls back.
     *
     * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null}
     * @throws SQLException also when another job holds {@code idempotencyKey} (a unique violation)
     */
    public void insert(Connection connection, String id, String type, String payload, String region,
            String idempotencyKey) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + jobsTable + " "
                + "(id, type, payload, region, status, attempts, processed_count, created_at, updated_at, idempotency_key)"
                + " VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, type);
            insert.setString(3, payload);
            insert.setString(4, region);
            insert.setString(5, JobStatus.QUEUED.name());
            insert.setLong(6, now);
            insert.setLong(7, now);
            insert.setString(8, idempotencyKey);
            insert.executeUpdate();
        }
        history(connection, id, JobStatus.QUEUED, "accepted", now);
    }

    /** The id of the job accepted with {@code idempotencyKey}, if any. */
    public Optional<String> findByIdempotencyKey(String idempotencyKey) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id FROM " + jobsTable + " WHERE idempotency_key = ?")) {
            select.setString(1, idempotencyKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Moves the job to RUNNING for one more attempt, from any status but COMPLETED (RUNNING included:
     * the ledger hands a job whose worker died to another one); returns false when it is COMPLETED or
     * unknown.
     */
    public boolean start(String id, String detail) throws SQLException {
        return inTransaction(c -> transition(c, id, JobStatus.RUNNING, null, detail, true, false,
                JobStatus.QUEUED, JobStatus.RETRY, JobStatus.FAILED, JobStatus.RUNNING));
    }

    /** Marks a RUNNING job RETRY: this attempt failed, another follows. */
    public void retry(String id, String error) throws SQLException {
        String cut = cut(error);
        inTransaction(c -> transition(c, id, JobStatus.RETRY, cut, cut, false, false, JobStatus.RUNNING));
    }

    /** Marks a RUNNING job COMPLETED and counts the completion, in the caller's transaction. */
    public boolean complete(Connection connection, String id, String detail) throws SQLException {
        return transition(connection, id, JobStatus.COMPLETED, null, detail, false, true, JobStatus.RUNNING);
    }

    /** Marks a RUNNING job FAILED for good, in the caller's transaction. */
    public boolean fail(Connection connection, String id, String error) throws SQLException {
        String cut = cut(error);
        return transition(connection, id, JobStatus.FAILED, cut, cut, false, false, JobStatus.RUNNING);
    }

    private static String cut(String error) {
        return error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
    }

    private boolean transition(Connection connection, String id, JobStatus to, String error, String detail,
            boolean countAttempt, boolean countCompletion, JobStatus... from) throws SQLException {
        long now = clock.millis();
        StringBuilder sql = new StringBuilder("UPDATE " + jobsTable + " SET status = ?, updated_at = ?")
                .append(countAttempt ? ", attempts = attempts + 1" : "")
                .append(countCompletion ? ", processed_count = processed_count + 1" : "")
                .append(error != null ? ", last_error = ?" : "")
                .append(" WHERE id = ? AND status IN (");
        for (int i = 0; i < from.length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        int changed;
        try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            int i = 1;
            update.setString(i++, to.name());
            update.setLong(i++, now);
            if (error != null) {
                update.setString(i++, error);
            }
            update.setString(i++, id);
            for (JobStatus status : from) {
                update.setString(i++, status.name());
            }
            changed = update.executeUpdate();
        }
        if (changed == 1) {
            history(connection, id, to, detail, now);
        }
        return changed == 1;
    }

    /** Work on a connection of the caller's transaction. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        /** Does the work; throwing rolls the transaction back. */
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection: committed when it returns, rolled
     * back when it throws. A failed rollback is added to the original error as suppressed, so the
     * original error is the one reported and logged.
     */
    public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                if (e instanceof SQLException sql) {
                    throw sql;
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new SQLException("transaction failed: " + e, e);
            }
        }
    }

    /** The job with its history. */
    public Optional<Job> find(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT id, type, payload, region, status, attempts,"
                        + " processed_count, last_error, created_at, updated_at FROM " + jobsTable + " WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                List<Job.Change> history = new ArrayList<>();
                try (PreparedStatement changes = connection.prepareStatement(
                        "SELECT at, status, detail FROM " + historyTable + " WHERE job_id = ? ORDER BY at")) {
                    changes.setString(1, id);
                    try (ResultSet change = changes.executeQuery()) {
                        while (change.next()) {
                            history.add(new Job.Change(Instant.ofEpochMilli(change.getLong(1)),
                                    JobStatus.valueOf(change.getString(2)), change.getString(3)));
                        }
                    }
                }
                return Optional.of(new Job(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        JobStatus.valueOf(row.getString(5)), row.getInt(6), row.getInt(7), row.getString(8),
                        Instant.ofEpochMilli(row.getLong(9)), Instant.ofEpochMilli(row.getLong(10)), history));
            }
        }
    }

    /** Jobs per status. */
    public Map<JobStatus, Integer> countByStatus() throws SQLException {
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT status, COUNT(*) FROM " + jobsTable + " GROUP BY status")) {
            while (rows.next()) {
                counts.put(JobStatus.valueOf(rows.getString(1)), rows.getInt(2));
            }
        }
        return counts;
    }

    /** How many jobs were completed a number of times other than once (0 is fine for unfinished jobs). */
    public int completedMoreThanOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + jobsTable + " WHERE processed_count > 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void history(Connection connection, String id, JobStatus status, String detail, long at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + historyTable + " (job_id, at, status, detail) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setLong(2, at);
            insert.setString(3, status.name());
            insert.setString(4, detail);
            insert.executeUpdate();
        }
    }
}
