-- Beacon outbox V2, H2 2.x: retention until done (AckMode.KEEP_UNTIL_DONE).
-- The stream entry id a kept row was published as, so the reconciler can tell whether the stream lost it.
ALTER TABLE ${prefix}outbox ADD COLUMN IF NOT EXISTS stream_entry_id VARCHAR(64);
