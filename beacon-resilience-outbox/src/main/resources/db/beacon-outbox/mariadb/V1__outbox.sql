-- Beacon outbox, MariaDB 10.6+ / MySQL 8 (SKIP LOCKED). Flyway placeholder ${prefix} is the table prefix.
-- Times are epoch milliseconds written by the application clock.
CREATE TABLE IF NOT EXISTS ${prefix}outbox (
    seq          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id           VARCHAR(36)   NOT NULL,
    stream       VARCHAR(200)  NOT NULL,
    msg_key      VARCHAR(200),
    payload      LONGBLOB      NOT NULL,
    content_type VARCHAR(200)  NOT NULL,
    headers      TEXT,
    created_at   BIGINT        NOT NULL,
    available_at BIGINT        NOT NULL,
    attempts     INT           NOT NULL DEFAULT 0,
    last_error   VARCHAR(2000),
    history      TEXT,
    lease_owner  VARCHAR(200),
    lease_until  BIGINT,
    claim_token  VARCHAR(36),
    published_at BIGINT,
    UNIQUE KEY outbox_id_uq (id),
    -- No partial indexes here: published_at leads so unpublished rows (NULL) form one range.
    KEY outbox_due_idx (published_at, available_at, seq),
    KEY outbox_key_idx (msg_key, published_at, seq),
    KEY outbox_age_idx (published_at, created_at)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}outbox_dead_letter (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    stream        VARCHAR(200)  NOT NULL,
    msg_key       VARCHAR(200),
    payload       LONGBLOB      NOT NULL,
    content_type  VARCHAR(200)  NOT NULL,
    headers       TEXT,
    created_at    BIGINT        NOT NULL,
    attempts      INT           NOT NULL,
    error_class   VARCHAR(300)  NOT NULL,
    error_message VARCHAR(2000),
    error_pattern VARCHAR(700)  NOT NULL,
    history       TEXT,
    dead_at       BIGINT        NOT NULL,
    KEY outbox_dl_stream_idx (stream, dead_at),
    KEY outbox_dl_error_idx (error_class, error_pattern(400)),
    KEY outbox_dl_dead_at_idx (dead_at)
) ENGINE=InnoDB;
