-- Beacon outbox, PostgreSQL. Flyway placeholder ${prefix} is the table prefix (may be empty).
-- Times are epoch milliseconds written by the application clock, so every dialect compares the same way.
CREATE TABLE IF NOT EXISTS ${prefix}outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           VARCHAR(36)   NOT NULL,
    stream       VARCHAR(200)  NOT NULL,
    msg_key      VARCHAR(200),
    payload      BYTEA         NOT NULL,
    content_type VARCHAR(200)  NOT NULL,
    headers      TEXT,
    created_at   BIGINT        NOT NULL,
    available_at BIGINT        NOT NULL,
    attempts     INTEGER       NOT NULL DEFAULT 0,
    last_error   VARCHAR(2000),
    history      TEXT,
    lease_owner  VARCHAR(200),
    lease_until  BIGINT,
    claim_token  VARCHAR(36),
    published_at BIGINT,
    CONSTRAINT ${prefix}outbox_id_uq UNIQUE (id)
) WITH (fillfactor = 50);
-- fillfactor 50: every row is updated once by the claim (lease owner, expiry, token: no indexed column),
-- and free room on its page lets that update be HOT (no new entries in any index). With full
-- pages the claim wrote a new tuple plus four index entries per row and dominated the drain time
-- (docs/BENCHMARKS.md, "Outbox drain"). The table holds only the backlog, so the extra space is small.
-- Due-row lookup: partial, so published rows kept for retention cost nothing here.
CREATE INDEX IF NOT EXISTS ${prefix}outbox_due_idx ON ${prefix}outbox (available_at, seq) WHERE published_at IS NULL;
-- Per-key ordering: "is there an older unpublished row of this key".
CREATE INDEX IF NOT EXISTS ${prefix}outbox_key_idx ON ${prefix}outbox (msg_key, seq) WHERE published_at IS NULL AND msg_key IS NOT NULL;
-- Stuck-job figures: count and oldest age of unpublished rows.
CREATE INDEX IF NOT EXISTS ${prefix}outbox_age_idx ON ${prefix}outbox (created_at) WHERE published_at IS NULL;
-- Retention cleanup of published rows.
CREATE INDEX IF NOT EXISTS ${prefix}outbox_published_idx ON ${prefix}outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${prefix}outbox_dead_letter (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    stream        VARCHAR(200)  NOT NULL,
    msg_key       VARCHAR(200),
    payload       BYTEA         NOT NULL,
    content_type  VARCHAR(200)  NOT NULL,
    headers       TEXT,
    created_at    BIGINT        NOT NULL,
    attempts      INTEGER       NOT NULL,
    error_class   VARCHAR(300)  NOT NULL,
    error_message VARCHAR(2000),
    error_pattern VARCHAR(2000) NOT NULL,
    history       TEXT,
    dead_at       BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_stream_idx ON ${prefix}outbox_dead_letter (stream, dead_at);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_error_idx ON ${prefix}outbox_dead_letter (error_class, error_pattern);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_dead_at_idx ON ${prefix}outbox_dead_letter (dead_at);

-- Wake-up on commit: one notification per inserting statement, delivered at commit.
CREATE OR REPLACE FUNCTION ${prefix}outbox_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('${prefix}outbox', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ${prefix}outbox_notify_trg ON ${prefix}outbox;
CREATE TRIGGER ${prefix}outbox_notify_trg AFTER INSERT ON ${prefix}outbox
    FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}outbox_notify();
