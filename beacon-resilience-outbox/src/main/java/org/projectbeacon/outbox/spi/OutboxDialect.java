package org.projectbeacon.outbox.spi;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.internal.BuiltInDialect;

/**
 * Every SQL statement of the outbox, its dead letter queue, monitor and reconciler, and the
 * processing ledger, plus the migration scripts, the database clock and whether LISTEN/NOTIFY
 * wake-up exists: a database is supported by one class implementing this interface.
 *
 * <p><b>Writing a dialect.</b> Implement {@link #name()}, {@link #insertIfAbsent(String)} and
 * {@link #ledgerInsertIfAbsent(String)} (idempotent inserts have no portable form), put the migration
 * scripts under {@link #migrationLocation()} and {@link #ledgerMigrationLocation()} (or point those at
 * a built-in folder), and override whichever default statement your database writes differently;
 * the defaults are portable SQL with {@code FOR UPDATE SKIP LOCKED} and {@code LIMIT ? OFFSET ?}.
 * Then run the outbox test-jar's contract suites ({@code AbstractOutboxStoreContract},
 * {@code AbstractInProcessPublisherContract}, {@code AbstractProcessingLedgerContract}) with it.
 *
 * <p><b>Statements.</b> Each method documents the parameters its statement takes, in order; the
 * callers bind exactly those. Table names come validated from the configuration. Times are epoch
 * milliseconds in {@code BIGINT} columns. Lease times are written and compared through an SQL
 * expression {@code leaseNow} the caller passes in: by default {@link #currentTimeMillis()} (the
 * database's clock, one for every host), or a literal of an application clock when configured.
 *
 * <p>Implementations must be stateless and thread-safe. The built-in dialects are
 * {@link #postgresql()}, {@link #mariadb()} (MariaDB 10.6+ and MySQL 8, both with
 * {@code SKIP LOCKED}) and {@link #h2()}.
 */
public interface OutboxDialect {

    /** The columns of an outbox insert, in the parameter order of {@link #insertIfAbsent}. */
    String OUTBOX_INSERT_COLUMNS =
            "id, stream, msg_key, payload, content_type, headers, created_at, available_at, attempts, history";
    /** The columns of a dead letter, in the order they are inserted and selected. */
    String DEAD_LETTER_COLUMNS = "id, stream, msg_key, payload, content_type, headers, created_at, attempts,"
            + " error_class, error_message, error_pattern, history, dead_at";
    /** The processing ledger's status of a message being handled. */
    String LEDGER_IN_PROGRESS = "IN_PROGRESS";
    /** The processing ledger's status of a handled message. */
    String LEDGER_DONE = "DONE";

    /** The dialect name, also the migration folder: {@code postgresql}, {@code mariadb}, {@code h2}. */
    String name();

    /**
     * The classpath folder of the Flyway-compatible migrations, {@code db/beacon-outbox/<name>}; the
     * scripts use the Flyway placeholder {@code ${prefix}} for the table prefix.
     */
    default String migrationLocation() {
        return "db/beacon-outbox/" + name();
    }

    /**
     * The classpath folder of the processing ledger's Flyway-compatible migrations,
     * {@code db/beacon-ledger/<name>}, with the placeholder {@code ${prefix}} for the table prefix.
     */
    default String ledgerMigrationLocation() {
        return "db/beacon-ledger/" + name();
    }

    /**
     * An SQL expression for the database's current time in epoch milliseconds as a BIGINT: the clock
     * of publisher and ledger leases (one clock for every host). It must read the time when the
     * statement runs, not when a longer transaction began. The default is the
     * {@code EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)} form PostgreSQL and H2 accept.
     */
    default String currentTimeMillis() {
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }

    /** Whether the database has LISTEN/NOTIFY, used to wake an idle publisher at commit. */
    default boolean supportsListenNotify() {
        return false;
    }

    // ---- enqueue ----

    /**
     * An insert into {@code table} of {@link #OUTBOX_INSERT_COLUMNS}, in that parameter order, that
     * writes nothing and raises no error (so the caller's transaction stays usable) when a row with
     * the same id exists. The update count is 1 when the row was written and 0 otherwise. When
     * {@link #insertRepeatsId()} is true the statement takes the id once more as an eleventh parameter.
     */
    String insertIfAbsent(String table);

    /** Whether {@link #insertIfAbsent} and {@link #ledgerInsertIfAbsent} take the id again as their last parameter; default false. */
    default boolean insertRepeatsId() {
        return false;
    }

    // ---- publisher ----

    /**
     * The claim's query: up to {@code limit} due rows, oldest first, locked with {@code SKIP LOCKED},
     * unpublished, available, not under a live lease, from a sequence number on, and for a keyed row
     * only when no older unpublished row of its key exists (per-key order). Parameters
     * {@code (now, fromSeq, limit)}, {@code now} being the application time availability is compared
     * with and {@code fromSeq} the lowest sequence number to consider (the publisher passes
     * {@code Long.MIN_VALUE} for a full claim; see {@link #claimCondition}). Columns: {@code seq, id, stream,
     * msg_key, payload, content_type, headers, created_at, attempts, lease_until, history}
     * ({@code lease_until} is the expired lease, NULL when the row was not leased).
     */
    default String claimDue(String table, String leaseNow) {
        return "SELECT o.seq, o.id, o.stream, o.msg_key, o.payload, o.content_type, o.headers, o.created_at,"
                + " o.attempts, o.lease_until, o.history FROM " + table + " o" + claimCondition(table, leaseNow)
                + " ORDER BY o.seq LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    /**
     * The {@code WHERE} clause of {@link #claimDue} over the alias {@code o}, with the parameters
     * {@code (now, fromSeq)}; the default claim statements share it. {@code fromSeq} lets a claim
     * start its scan of the primary key after the rows a drain already deleted: without a vacuum
     * between, their dead index entries are stepped over by every claim (docs/BENCHMARKS.md).
     * The per-key condition looks at every older row whatever {@code fromSeq} is.
     */
    default String claimCondition(String table, String leaseNow) {
        // A keyed row is claimable only when no older unpublished row of its key exists, whatever that
        // row's state (leased, backing off). Unkeyed rows are never held back.
        return " WHERE o.published_at IS NULL AND o.available_at <= ? AND o.seq >= ?"
                + " AND (o.lease_until IS NULL OR o.lease_until <= " + leaseNow + ")"
                + " AND (o.msg_key IS NULL OR NOT EXISTS (SELECT 1 FROM " + table + " p"
                + " WHERE p.msg_key = o.msg_key AND p.published_at IS NULL AND p.seq < o.seq))";
    }

    /**
     * The claim's update of the {@code rows} rows {@link #claimDue} returned: parameters
     * {@code (owner, leaseMillis, token, seq × rows)}; the lease ends {@code leaseMillis} after
     * {@code leaseNow}.
     */
    default String claimLease(String table, String leaseNow, int rows) {
        return "UPDATE " + table + " SET lease_owner = ?, lease_until = " + leaseNow + " + ?, claim_token = ?"
                + " WHERE seq IN (" + marks(rows) + ")";
    }

    /**
     * Whether the database can claim in one statement ({@link #claimReturning}), which makes a claim
     * one round trip in auto-commit instead of select, update and commit. Default false.
     */
    default boolean claimsWithUpdateReturning() {
        return false;
    }

    /**
     * The one-statement claim, used when {@link #claimsWithUpdateReturning()}: selects as
     * {@link #claimDue} and leases as {@link #claimLease}, returning the same columns in any order of
     * rows. Parameters {@code (now, fromSeq, limit, owner, leaseMillis, token)}. The default is PostgreSQL's
     * {@code WITH due AS (... FOR UPDATE SKIP LOCKED) UPDATE ... FROM due RETURNING}.
     */
    default String claimReturning(String table, String leaseNow) {
        return claimReturning(table, leaseNow, null);
    }

    /**
     * {@link #claimReturning(String, String)} joined with {@code relaxedCommitSource} (see
     * {@link #relaxedCommitSource()}) when it is not null. The publisher calls it only with a source
     * the dialect itself returned, and the two-argument form otherwise, so a dialect without a source
     * need not override it; the default's syntax is PostgreSQL's ({@code UPDATE … FROM due, <source>}).
     */
    default String claimReturning(String table, String leaseNow, String relaxedCommitSource) {
        return "WITH due AS (SELECT o.seq, o.lease_until AS old_lease FROM " + table + " o"
                + claimCondition(table, leaseNow) + " ORDER BY o.seq LIMIT ? FOR UPDATE SKIP LOCKED) UPDATE " + table
                + " SET lease_owner = ?, lease_until = " + leaseNow + " + ?, claim_token = ? FROM due"
                + (relaxedCommitSource == null ? "" : ", " + relaxedCommitSource) + " WHERE " + table
                + ".seq = due.seq RETURNING " + table + ".seq, id, stream, msg_key, payload, content_type, headers,"
                + " created_at, attempts, due.old_lease, history";
    }

    /**
     * Deletes the {@code rows} rows still held by a claim: parameters {@code (token, seq × rows)}.
     * The acknowledgement under {@code AckMode.DELETE}, and the second half of dead-lettering.
     */
    default String deleteClaimed(String table, int rows) {
        return deleteClaimed(table, rows, null);
    }

    /**
     * {@link #deleteClaimed(String, int)} joined with {@code relaxedCommitSource} (see
     * {@link #relaxedCommitSource()}) when it is not null; the default's syntax is PostgreSQL's
     * {@code DELETE … USING <source>}.
     */
    default String deleteClaimed(String table, int rows, String relaxedCommitSource) {
        return "DELETE FROM " + table + (relaxedCommitSource == null ? "" : " USING " + relaxedCommitSource)
                + " WHERE claim_token = ? AND seq IN (" + marks(rows) + ")";
    }

    /**
     * Marks the {@code rows} rows still held by a claim published and releases their lease:
     * parameters {@code (publishedAt, [seq, streamEntryId] × rows when withEntryIds, token, seq × rows)}.
     * With {@code withEntryIds} it also stores each row's stream entry id, still in one statement.
     */
    default String markPublished(String table, int rows, boolean withEntryIds) {
        return markPublished(table, rows, withEntryIds, null);
    }

    /**
     * {@link #markPublished(String, int, boolean)} joined with {@code relaxedCommitSource} (see
     * {@link #relaxedCommitSource()}) when it is not null; the default's syntax is PostgreSQL's
     * {@code UPDATE … FROM <source>}.
     */
    default String markPublished(String table, int rows, boolean withEntryIds, String relaxedCommitSource) {
        StringBuilder entries = new StringBuilder();
        if (withEntryIds) {
            // One CASE expression rather than a batch: the acknowledgement stays one statement.
            entries.append(", stream_entry_id = CASE seq");
            entries.append(" WHEN ? THEN ?".repeat(rows));
            entries.append(" END");
        }
        return "UPDATE " + table + " SET published_at = ?" + entries
                + ", lease_owner = NULL, lease_until = NULL, claim_token = NULL, last_error = NULL"
                + (relaxedCommitSource == null ? "" : " FROM " + relaxedCommitSource)
                + " WHERE claim_token = ? AND seq IN (" + marks(rows) + ")";
    }

    /**
     * Records one failed attempt of a claimed row (attempts + 1, last error, next attempt time, lease
     * released), run as a batch: parameters {@code (lastError, availableAt, token, seq)}.
     */
    default String recordFailure(String table) {
        return "UPDATE " + table + " SET attempts = attempts + 1, last_error = ?, available_at = ?,"
                + " lease_owner = NULL, lease_until = NULL, claim_token = NULL WHERE claim_token = ? AND seq = ?";
    }

    /**
     * Releases every row of a claim without counting an attempt: parameters
     * {@code (lastError, availableAt, token)}.
     */
    default String release(String table) {
        return "UPDATE " + table + " SET last_error = ?, available_at = ?,"
                + " lease_owner = NULL, lease_until = NULL, claim_token = NULL WHERE claim_token = ?";
    }

    /**
     * Copies the {@code rows} failed rows of a claim into the dead letter table with attempts + 1, in
     * one insert-select: parameters {@code ([seq, errorClass] × rows, [seq, errorMessage] × rows,
     * [seq, errorPattern] × rows, deadAt, token, seq × rows)}. {@link #deleteClaimed} follows it in the
     * same transaction.
     */
    default String copyToDeadLetter(String table, String deadLetterTable, int rows) {
        // CASE expressions carry the per-row errors: MariaDB's bulk protocol cannot batch INSERT ... SELECT.
        String perRow = "CASE seq" + " WHEN ? THEN ?".repeat(rows) + " END";
        return "INSERT INTO " + deadLetterTable + " (" + DEAD_LETTER_COLUMNS + ")"
                + " SELECT id, stream, msg_key, payload, content_type, headers, created_at, attempts + 1, "
                + perRow + ", " + perRow + ", " + perRow + ", history, ? FROM " + table
                + " WHERE claim_token = ? AND seq IN (" + marks(rows) + ")";
    }

    /** Deletes the published rows published before the parameter {@code (publishedBefore)}: the retention. */
    default String purgePublished(String table) {
        return "DELETE FROM " + table + " WHERE published_at IS NOT NULL AND published_at < ?";
    }

    /**
     * A statement that, run first in a transaction, lets that transaction's commit return before its
     * log is flushed to disk, for that transaction only; or {@code null} when the database has none
     * (the default). PostgreSQL: {@code SET LOCAL synchronous_commit = off}.
     */
    default String relaxedCommitStatement() {
        return null;
    }

    /**
     * A one-row table expression, with its alias, whose evaluation inside a statement run in
     * auto-commit lets that statement's own commit return before its log is flushed: what
     * {@link #relaxedCommitStatement()} does for an explicit transaction, without that transaction's
     * two extra round trips (the setting statement and the commit). The publisher then joins it into
     * its claim and acknowledgement ({@link #claimReturning(String, String, String)},
     * {@link #deleteClaimed(String, int, String)}, {@link #markPublished(String, int, boolean, String)}),
     * which makes each one round trip; a dialect returning a source must accept it in those three
     * statements. {@code null} (the default) keeps the transaction. PostgreSQL:
     * {@code (SELECT set_config('synchronous_commit', 'off', true)) relaxed_commit}: a local setting
     * made by a statement lasts until its implicit transaction ends, and that transaction's commit
     * reads it; the session's setting is untouched.
     */
    default String relaxedCommitSource() {
        return null;
    }

    // ---- monitor ----

    /**
     * The stuck-job figures in one pass: parameter {@code (threshold)}; columns: the unpublished
     * count, the oldest unpublished {@code created_at} (NULL when none) and the count created before
     * the threshold.
     */
    default String backlogStats(String table) {
        // One pass over the age index gives all three figures (two passes took twice as long with a
        // million-row backlog); CASE rather than FILTER because MariaDB has no FILTER.
        return "SELECT COUNT(*), MIN(created_at), COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0)"
                + " FROM " + table + " WHERE published_at IS NULL";
    }

    /**
     * The oldest unpublished rows, for on-call's list of stuck messages: parameter {@code (limit)};
     * columns {@code id, stream, msg_key, created_at, available_at, attempts, last_error, lease_until},
     * oldest {@code created_at} first (ties in sequence order). The default walks the age index of
     * {@link #backlogStats}.
     */
    default String selectUnpublished(String table) {
        return "SELECT id, stream, msg_key, created_at, available_at, attempts, last_error, lease_until FROM " + table
                + " WHERE published_at IS NULL ORDER BY created_at, seq LIMIT ?";
    }

    /**
     * Makes one unpublished row due at once, ending a retry backoff or a delay: parameters
     * {@code (availableAt, id)}; update count 1 when the row exists unpublished, 0 otherwise. Attempts
     * and a lease are left alone: a publisher holding the row's live lease is sending it right now.
     */
    default String makeDue(String table) {
        return "UPDATE " + table + " SET available_at = ? WHERE id = ? AND published_at IS NULL";
    }

    /**
     * A statement that, run first in the stuck-job figures' transaction, keeps their count of the
     * backlog to one process; or {@code null} (the default). PostgreSQL: {@code SET LOCAL
     * max_parallel_workers_per_gather = 0}: on the small machines runners use, a parallel count of a
     * million-row backlog took about twice as long as a serial one (docs/BENCHMARKS.md).
     */
    default String serialScanStatement() {
        return null;
    }

    // ---- dead letter queue ----

    /**
     * The condition selecting the dead letters {@code filter} matches, starting with {@code " WHERE"}:
     * its parameters are the filter's set values in the order stream, error class, from, to (times
     * as epoch milliseconds; from inclusive, to exclusive).
     */
    default String deadLetterCondition(DeadLetterFilter filter) {
        StringBuilder sb = new StringBuilder(" WHERE 1 = 1");
        if (filter.stream() != null) {
            sb.append(" AND stream = ?");
        }
        if (filter.errorClass() != null) {
            sb.append(" AND error_class = ?");
        }
        if (filter.from() != null) {
            sb.append(" AND dead_at >= ?");
        }
        if (filter.to() != null) {
            sb.append(" AND dead_at < ?");
        }
        return sb.toString();
    }

    /**
     * A page of dead letters, newest first: the {@link #deadLetterCondition} parameters, then
     * {@code (limit, offset)}; columns {@link #DEAD_LETTER_COLUMNS}.
     */
    default String selectDeadLetters(String deadLetterTable, String condition) {
        return "SELECT " + DEAD_LETTER_COLUMNS + " FROM " + deadLetterTable + condition
                + " ORDER BY dead_at DESC, id LIMIT ? OFFSET ?";
    }

    /** One dead letter: parameter {@code (id)}; columns {@link #DEAD_LETTER_COLUMNS}. */
    default String selectDeadLetter(String deadLetterTable) {
        return "SELECT " + DEAD_LETTER_COLUMNS + " FROM " + deadLetterTable + " WHERE id = ?";
    }

    /** The number of dead letters matching the condition, with its parameters. Also the monitor's count with {@code " WHERE 1 = 1"}. */
    default String countDeadLetters(String deadLetterTable, String condition) {
        return "SELECT COUNT(*) FROM " + deadLetterTable + condition;
    }

    /**
     * The failure patterns of the matching dead letters, most frequent first: the condition's
     * parameters; columns {@code error_class, error_pattern, count, first dead_at, last dead_at}.
     */
    default String failurePatterns(String deadLetterTable, String condition) {
        return "SELECT error_class, error_pattern, COUNT(*), MIN(dead_at), MAX(dead_at) FROM " + deadLetterTable
                + condition + " GROUP BY error_class, error_pattern ORDER BY COUNT(*) DESC, error_class, error_pattern";
    }

    /** Inserts one dead letter: {@link #DEAD_LETTER_COLUMNS} as parameters, in that order. */
    default String insertDeadLetter(String deadLetterTable) {
        return "INSERT INTO " + deadLetterTable + " (" + DEAD_LETTER_COLUMNS + ") VALUES (" + marks(13) + ")";
    }

    /** Deletes the dead letters matching the condition, with its parameters. */
    default String deleteDeadLetters(String deadLetterTable, String condition) {
        return "DELETE FROM " + deadLetterTable + condition;
    }

    /** Deletes one dead letter: parameter {@code (id)}; run as a batch by the requeue. */
    default String deleteDeadLetter(String deadLetterTable) {
        return "DELETE FROM " + deadLetterTable + " WHERE id = ?";
    }

    // ---- reconciler (AckMode.KEEP_UNTIL_DONE) ----

    /**
     * One page of the reconciler's keyset walk over kept rows (published, with a stream entry id):
     * parameters {@code (afterSeq, publishedBefore, limit)}, in sequence order; columns
     * {@code seq, id, stream, stream_entry_id, history}.
     */
    default String selectKept(String table) {
        return "SELECT seq, id, stream, stream_entry_id, history FROM " + table
                + " WHERE seq > ? AND published_at IS NOT NULL AND published_at < ? AND stream_entry_id IS NOT NULL"
                + " ORDER BY seq LIMIT ?";
    }

    /** Deletes the {@code rows} kept rows still published: parameters {@code (seq × rows)}. */
    default String deleteKept(String table, int rows) {
        return "DELETE FROM " + table + " WHERE published_at IS NOT NULL AND seq IN (" + marks(rows) + ")";
    }

    /**
     * Makes one kept row unpublished again unless its entry id changed meanwhile, run as a batch:
     * parameters {@code (availableAt, history, seq, streamEntryId)}.
     */
    default String republishKept(String table) {
        return "UPDATE " + table + " SET published_at = NULL, stream_entry_id = NULL, available_at = ?, history = ?"
                + " WHERE seq = ? AND published_at IS NOT NULL AND stream_entry_id = ?";
    }

    // ---- processing ledger ----

    /**
     * An insert into the processing ledger {@code table} of a new entry in progress, with the
     * parameters {@code (message_id, owner, lease_token, lease_until, started_at)} in that order and
     * {@code status = 'IN_PROGRESS'}, {@code attempts = 1}, that writes nothing and raises no error
     * when an entry with the same message id exists (update count 1 when written, 0 otherwise).
     * When {@link #insertRepeatsId()} is true the statement takes the message id once more as a
     * sixth parameter. A statement that can still fail on the primary key when a concurrent
     * transaction inserts the same id (H2's) is allowed: the ledger reads that as 0.
     */
    String ledgerInsertIfAbsent(String table);

    /** The ledger entry: parameter {@code (message_id)}; columns {@code status, lease_token, lease_until, attempts}. */
    default String ledgerSelect(String table) {
        return "SELECT status, lease_token, lease_until, attempts FROM " + table + " WHERE message_id = ?";
    }

    /**
     * Takes over an entry as read (compare-and-set): parameters {@code (owner, lease_token,
     * lease_until, message_id, attempts as read, lease_until as read, now)}; a released entry (no
     * token) is free at once, a held one once its lease has expired.
     */
    default String ledgerTakeover(String table) {
        // attempts changes with every acquisition and lease_until with every renewal or release, so a
        // concurrent winner makes this update 0 rows.
        return "UPDATE " + table + " SET owner = ?, lease_token = ?, lease_until = ?, attempts = attempts + 1"
                + " WHERE message_id = ? AND status = '" + LEDGER_IN_PROGRESS + "' AND attempts = ? AND lease_until = ?"
                + " AND (lease_token IS NULL OR lease_until <= ?)";
    }

    /** Marks a held entry done: parameters {@code (done_at, message_id, lease_token)}. */
    default String ledgerComplete(String table) {
        return "UPDATE " + table + " SET status = '" + LEDGER_DONE + "', done_at = ?" + ledgerFence();
    }

    /** Renews a held lease: parameters {@code (lease_until, message_id, lease_token)}. */
    default String ledgerRenew(String table) {
        return "UPDATE " + table + " SET lease_until = ?" + ledgerFence();
    }

    /** Releases a held lease: parameters {@code (lease_until, last_error, message_id, lease_token)}. */
    default String ledgerRelease(String table) {
        return "UPDATE " + table + " SET lease_until = ?, lease_token = NULL, last_error = ?" + ledgerFence();
    }

    /** The condition fencing the ledger's updates by lease token: parameters {@code (message_id, lease_token)}. */
    default String ledgerFence() {
        return " WHERE message_id = ? AND lease_token = ? AND status = '" + LEDGER_IN_PROGRESS + "'";
    }

    /** The number of held leases expired at the parameter {@code (now)}. */
    default String ledgerExpired(String table) {
        return "SELECT COUNT(*) FROM " + table + " WHERE status = '" + LEDGER_IN_PROGRESS + "'"
                + " AND lease_token IS NOT NULL AND lease_until <= ?";
    }

    /** Deletes the entries done before the parameter {@code (before)}. */
    default String ledgerPurge(String table) {
        return "DELETE FROM " + table + " WHERE status = '" + LEDGER_DONE + "' AND done_at < ?";
    }

    /** Which of the {@code ids} message ids are done: parameters {@code (message_id × ids)}; column {@code message_id}. */
    default String ledgerDone(String table, int ids) {
        return "SELECT message_id FROM " + table + " WHERE status = '" + LEDGER_DONE + "' AND message_id IN ("
                + marks(ids) + ")";
    }

    /** {@code n} comma-separated parameter marks, for the statements' {@code IN} lists. */
    static String marks(int n) {
        return n <= 0 ? "" : "?" + ",?".repeat(n - 1);
    }

    // ---- built-in dialects ----

    /** PostgreSQL, the primary dialect. */
    static OutboxDialect postgresql() {
        return BuiltInDialect.POSTGRESQL;
    }

    /** MariaDB 10.6+ or MySQL 8. */
    static OutboxDialect mariadb() {
        return BuiltInDialect.MARIADB;
    }

    /** H2 2.x, the embedded database of tests and the example. */
    static OutboxDialect h2() {
        return BuiltInDialect.H2;
    }

    /**
     * The built-in dialect of the database behind {@code connection}, from its product name (drivers
     * answer from what they learnt at connect, without a round trip).
     *
     * @throws IllegalArgumentException naming the product when it is none of PostgreSQL, MariaDB,
     *         MySQL and H2: pass such a database's dialect explicitly
     */
    static OutboxDialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return postgresql();
        }
        if (lower.contains("mariadb") || lower.contains("mysql")) {
            return mariadb();
        }
        if (lower.contains("h2")) {
            return h2();
        }
        throw new IllegalArgumentException("database product must be PostgreSQL, MariaDB, MySQL or H2 for a built-in"
                + " dialect but was '" + product + "'; set OutboxConfig.Builder.dialect to a dialect of your own");
    }

    /** As {@link #detect(Connection)}, on a connection of {@code dataSource} it closes again. */
    static OutboxDialect detect(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return detect(c);
        }
    }
}
