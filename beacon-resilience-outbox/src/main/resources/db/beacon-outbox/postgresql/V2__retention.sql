-- Beacon outbox V2, PostgreSQL: retention until done (AckMode.KEEP_UNTIL_DONE).
-- The stream entry id a kept row was published as, so the reconciler can tell whether the stream lost it.
ALTER TABLE ${prefix}outbox ADD COLUMN IF NOT EXISTS stream_entry_id VARCHAR(64);
-- The reconciler's walk over kept rows, in sequence order; partial, so the backlog costs nothing here.
CREATE INDEX IF NOT EXISTS ${prefix}outbox_kept_idx ON ${prefix}outbox (seq)
    WHERE published_at IS NOT NULL AND stream_entry_id IS NOT NULL;
