package org.projectbeacon.outbox.spi;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import org.projectbeacon.outbox.internal.BuiltInDialect;

/**
 * What differs between databases for the outbox and the processing ledger: the migration scripts,
 * the idempotent inserts, the database clock and whether LISTEN/NOTIFY wake-up exists. Everything
 * else is portable SQL.
 *
 * <p>Implementations must be stateless and thread-safe. The built-in dialects are
 * {@link #postgresql()}, {@link #mariadb()} (MariaDB 10.6+ and MySQL 8, both with
 * {@code SKIP LOCKED}) and {@link #h2()}.
 */
public interface OutboxDialect {

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
     * An insert into {@code table} of the columns {@code (id, stream, msg_key, payload, content_type,
     * headers, created_at, available_at, attempts, history)}, in that parameter order, that writes
     * nothing and raises no error (so the caller's transaction stays usable) when a row with the same
     * id exists. The update count is 1 when the row was written and 0 otherwise. When
     * {@link #insertRepeatsId()} is true the statement takes the id once more as an eleventh parameter.
     */
    String insertIfAbsent(String table);

    /** Whether {@link #insertIfAbsent} takes the id again as its last parameter; default false. */
    default boolean insertRepeatsId() {
        return false;
    }

    /**
     * Whether the database can claim in one statement, {@code WITH due AS (SELECT ... FOR UPDATE SKIP
     * LOCKED) UPDATE ... FROM due RETURNING ...}, which makes a claim one round trip in auto-commit
     * instead of select, update and commit. Default false.
     */
    default boolean claimsWithUpdateReturning() {
        return false;
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
     * A statement that, run first in the stuck-job figures' transaction, keeps their count of the
     * backlog to one process; or {@code null} (the default). PostgreSQL: {@code SET LOCAL
     * max_parallel_workers_per_gather = 0}: on the small machines runners use, a parallel count of a
     * million-row backlog took about twice as long as a serial one (docs/BENCHMARKS.md).
     */
    default String serialScanStatement() {
        return null;
    }

    /**
     * The classpath folder of the processing ledger's Flyway-compatible migrations,
     * {@code db/beacon-ledger/<name>}, with the placeholder {@code ${prefix}} for the table prefix.
     */
    default String ledgerMigrationLocation() {
        return "db/beacon-ledger/" + name();
    }

    /**
     * An SQL expression for the database's current time in epoch milliseconds as a BIGINT, read by
     * the processing ledger when it keeps leases on the database clock (one clock for every host).
     * The default is the {@code EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)} form PostgreSQL and H2 accept.
     */
    default String currentTimeMillis() {
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }

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

    /** Whether the database has LISTEN/NOTIFY, used to wake an idle publisher at commit. */
    default boolean supportsListenNotify() {
        return false;
    }

    /** PostgreSQL, the primary dialect. */
    static OutboxDialect postgresql() {
        return BuiltInDialect.POSTGRESQL;
    }

    /** MariaDB 10.6+ or MySQL 8. */
    static OutboxDialect mariadb() {
        return BuiltInDialect.MARIADB;
    }

    /** H2 2.x, the embedded default. */
    static OutboxDialect h2() {
        return BuiltInDialect.H2;
    }

    /**
     * The built-in dialect of the database behind {@code connection}, from its product name.
     *
     * @throws IllegalArgumentException when the product is none of PostgreSQL, MariaDB, MySQL and H2
     */
    static OutboxDialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return postgresql();
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return mariadb();
        }
        if (product.contains("h2")) {
            return h2();
        }
        throw new IllegalArgumentException("connection must be to PostgreSQL, MariaDB, MySQL or H2 but was '"
                + meta.getDatabaseProductName() + "'");
    }
}
