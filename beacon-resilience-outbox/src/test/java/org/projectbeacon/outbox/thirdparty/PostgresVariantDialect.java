package org.projectbeacon.outbox.thirdparty;

import java.util.concurrent.atomic.AtomicInteger;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * A dialect written the way a third party would: one class, outside the outbox's packages, for a
 * PostgreSQL-compatible database that lacks the one-statement claim and the relaxed commit. It
 * reuses the PostgreSQL migration scripts and changes the SQL of two statements: its insert has no
 * conflict target, and its acknowledgement lists the rows in an array. Everything else is {@link OutboxDialect}'s portable default, so the contract
 * suites run the two-statement claim, the default dead letter, monitor, reconciler and ledger SQL.
 */
public final class PostgresVariantDialect implements OutboxDialect {

    @Override
    public String name() {
        return "pgvariant";
    }

    @Override
    public String migrationLocation() {
        return "db/beacon-outbox/postgresql";
    }

    @Override
    public String ledgerMigrationLocation() {
        return "db/beacon-ledger/postgresql";
    }

    @Override
    public String currentTimeMillis() {
        // clock_timestamp(), not CURRENT_TIMESTAMP: the time of the statement, not of its transaction's start.
        return "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)";
    }

    @Override
    public String insertIfAbsent(String table) {
        return "INSERT INTO " + table + " (" + OUTBOX_INSERT_COLUMNS + ") VALUES (" + OutboxDialect.marks(10)
                + ") ON CONFLICT DO NOTHING";
    }

    /** How often {@link #deleteClaimed(String, int)} was asked for: a test checks the publisher uses a dialect's own statement. */
    static final AtomicInteger DELETE_CLAIMED_CALLS = new AtomicInteger();

    @Override
    public String deleteClaimed(String table, int rows) {
        DELETE_CLAIMED_CALLS.incrementAndGet();
        return "DELETE FROM " + table + " WHERE claim_token = ? AND seq = ANY (ARRAY[" + OutboxDialect.marks(rows)
                + "]::BIGINT[])";
    }

    @Override
    public String ledgerInsertIfAbsent(String table) {
        return "INSERT INTO " + table + " (message_id, status, owner, lease_token, lease_until, attempts, started_at)"
                + " VALUES (?, '" + LEDGER_IN_PROGRESS + "', ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING";
    }

    @Override
    public String toString() {
        return name();
    }
}
