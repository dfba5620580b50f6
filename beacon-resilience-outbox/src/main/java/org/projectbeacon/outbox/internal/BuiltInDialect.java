package org.projectbeacon.outbox.internal;

import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The dialects shipped with the module: the idempotent inserts, the database clock and the
 * PostgreSQL-only features; every other statement is {@link OutboxDialect}'s portable default.
 * Immutable.
 */
public final class BuiltInDialect implements OutboxDialect {

    private static final String COLUMNS = OUTBOX_INSERT_COLUMNS;

    /** PostgreSQL: {@code ON CONFLICT DO NOTHING}, LISTEN/NOTIFY. */
    public static final BuiltInDialect POSTGRESQL = new BuiltInDialect("postgresql");
    /** MariaDB/MySQL: {@code INSERT IGNORE}. */
    public static final BuiltInDialect MARIADB = new BuiltInDialect("mariadb");
    /** H2: insert-select guarded by NOT EXISTS; a concurrent duplicate still fails on the unique constraint. */
    public static final BuiltInDialect H2 = new BuiltInDialect("h2");

    private final String name;

    private BuiltInDialect(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String insertIfAbsent(String table) {
        return switch (name) {
            case "postgresql" -> "INSERT INTO " + table + " (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING";
            // IGNORE turns the duplicate into a warning with update count 0 (ON DUPLICATE KEY UPDATE would
            // report 1 under the driver's default found-rows counting). Every other column is validated
            // before the insert, so IGNORE hides nothing else.
            case "mariadb" -> "INSERT IGNORE INTO " + table + " (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)";
            default -> "INSERT INTO " + table + " (" + COLUMNS + ") SELECT ?,?,?,?,?,?,?,?,?,? FROM (VALUES 0) d(x)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE id = ?)";
        };
    }

    @Override
    public String currentTimeMillis() {
        return switch (name) {
            // clock_timestamp(), not now(): now() is the transaction's start, which a long caller
            // transaction would leave behind the real time.
            case "postgresql" -> "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)";
            // Arithmetic on UTC_TIMESTAMP: UNIX_TIMESTAMP(NOW(3)) converts through the session time zone
            // and is an hour off in its daylight-saving fall-back hour (every lease would look expired).
            case "mariadb" -> "TIMESTAMPDIFF(MICROSECOND, '1970-01-01', UTC_TIMESTAMP(6)) DIV 1000";
            // H2's CURRENT_TIMESTAMP is the transaction's start: exact for the ledger's own auto-commit
            // statements, the caller's transaction start for the done time of complete().
            default -> "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
        };
    }

    @Override
    public String ledgerInsertIfAbsent(String table) {
        String columns = " (message_id, status, owner, lease_token, lease_until, attempts, started_at)";
        return switch (name) {
            case "postgresql" -> "INSERT INTO " + table + columns
                    + " VALUES (?, 'IN_PROGRESS', ?, ?, ?, 1, ?) ON CONFLICT (message_id) DO NOTHING";
            // Every value is generated or validated by the ledger, so IGNORE hides only the duplicate.
            case "mariadb" -> "INSERT IGNORE INTO " + table + columns + " VALUES (?, 'IN_PROGRESS', ?, ?, ?, 1, ?)";
            default -> "INSERT INTO " + table + columns + " SELECT ?, 'IN_PROGRESS', ?, ?, ?, 1, ? FROM (VALUES 0) d(x)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE message_id = ?)";
        };
    }

    @Override
    public boolean insertRepeatsId() {
        return this == H2;
    }

    @Override
    public boolean claimsWithUpdateReturning() {
        return this == POSTGRESQL;
    }

    @Override
    public String relaxedCommitStatement() {
        return this == POSTGRESQL ? "SET LOCAL synchronous_commit = off" : null;
    }

    @Override
    public String relaxedCommitSource() {
        return this == POSTGRESQL ? "(SELECT set_config('synchronous_commit', 'off', true)) relaxed_commit" : null;
    }

    @Override
    public String serialScanStatement() {
        return this == POSTGRESQL ? "SET LOCAL max_parallel_workers_per_gather = 0" : null;
    }

    @Override
    public boolean supportsListenNotify() {
        return this == POSTGRESQL;
    }

    @Override
    public String toString() {
        return name;
    }
}
