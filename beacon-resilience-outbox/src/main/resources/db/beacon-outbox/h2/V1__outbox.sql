-- Beacon outbox, H2 2.x (the embedded default). Flyway placeholder ${prefix} is the table prefix.
-- Times are epoch milliseconds written by the application clock.
CREATE TABLE IF NOT EXISTS ${prefix}outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           VARCHAR(36)   NOT NULL,
    stream       VARCHAR(200)  NOT NULL,
    msg_key      VARCHAR(200),
    payload      VARBINARY(67108864) NOT NULL,
    content_type VARCHAR(200)  NOT NULL,
    headers      CHARACTER LARGE OBJECT,
    created_at   BIGINT        NOT NULL,
    available_at BIGINT        NOT NULL,
    attempts     INTEGER       NOT NULL DEFAULT 0,
    last_error   VARCHAR(2000),
    history      CHARACTER LARGE OBJECT,
    lease_owner  VARCHAR(200),
    lease_until  BIGINT,
    claim_token  VARCHAR(36),
    published_at BIGINT,
    CONSTRAINT ${prefix}outbox_id_uq UNIQUE (id)
);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_due_idx ON ${prefix}outbox (published_at, available_at, seq);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_key_idx ON ${prefix}outbox (msg_key, published_at, seq);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_age_idx ON ${prefix}outbox (published_at, created_at);

CREATE TABLE IF NOT EXISTS ${prefix}outbox_dead_letter (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    stream        VARCHAR(200)  NOT NULL,
    msg_key       VARCHAR(200),
    payload       VARBINARY(67108864) NOT NULL,
    content_type  VARCHAR(200)  NOT NULL,
    headers       CHARACTER LARGE OBJECT,
    created_at    BIGINT        NOT NULL,
    attempts      INTEGER       NOT NULL,
    error_class   VARCHAR(300)  NOT NULL,
    error_message VARCHAR(2000),
    error_pattern VARCHAR(2000) NOT NULL,
    history       CHARACTER LARGE OBJECT,
    dead_at       BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_stream_idx ON ${prefix}outbox_dead_letter (stream, dead_at);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_error_idx ON ${prefix}outbox_dead_letter (error_class, error_pattern);
CREATE INDEX IF NOT EXISTS ${prefix}outbox_dl_dead_at_idx ON ${prefix}outbox_dead_letter (dead_at);
