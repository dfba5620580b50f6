-- Beacon processing ledger (transactional inbox), MariaDB 10.6+ / MySQL 8. Flyway placeholder ${prefix} is the table prefix.
-- One row per message a consumer has started: IN_PROGRESS under a lease, then DONE in the handler's own
-- transaction. Times are epoch milliseconds, from the database clock unless the ledger is given a Clock.
CREATE TABLE IF NOT EXISTS ${prefix}processing_ledger (
    message_id  VARCHAR(64)   NOT NULL PRIMARY KEY,
    status      VARCHAR(16)   NOT NULL,
    owner       VARCHAR(200)  NOT NULL,
    -- NULL after a release: the attempt ended, the next delivery acquires at once without a takeover.
    lease_token VARCHAR(36),
    lease_until BIGINT        NOT NULL,
    attempts    INT           NOT NULL,
    last_error  VARCHAR(2000),
    started_at  BIGINT        NOT NULL,
    done_at     BIGINT,
    -- No partial indexes here: status leads so each state forms one range.
    KEY processing_ledger_lease_idx (status, lease_until),
    KEY processing_ledger_done_idx (status, done_at)
) ENGINE=InnoDB;
