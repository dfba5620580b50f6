-- Beacon outbox V2, MariaDB 10.6+: retention until done (AckMode.KEEP_UNTIL_DONE).
-- The stream entry id a kept row was published as, so the reconciler can tell whether the stream lost it.
-- (ADD COLUMN IF NOT EXISTS is MariaDB syntax; MySQL 8 has none, add the column by hand there.)
ALTER TABLE ${prefix}outbox ADD COLUMN IF NOT EXISTS stream_entry_id VARCHAR(64);
