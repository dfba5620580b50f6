-- The application's own V1, beside the outbox's V1 in its own history table: no clash.
CREATE TABLE ${prefix}jobs (id VARCHAR(36) PRIMARY KEY, type VARCHAR(64) NOT NULL);
