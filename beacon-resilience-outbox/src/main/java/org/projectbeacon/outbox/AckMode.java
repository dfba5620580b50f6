package org.projectbeacon.outbox;

/** What the publisher does with a row once its message is in the stream. */
public enum AckMode {
    /** Delete the row (the default): the table only ever holds the backlog. */
    DELETE,
    /** Keep the row with {@code published_at} set; rows older than the retention are deleted in the background. */
    MARK_PUBLISHED,
    /**
     * Keep the row with {@code published_at} and its stream entry id set until its message is done:
     * an {@link OutboxReconciler} deletes it once the consumer finished it, or makes it unpublished
     * again when the stream lost the entry first (so no accepted message is lost with Redis). Rows
     * older than the retention are deleted in the background whatever their state.
     */
    KEEP_UNTIL_DONE
}
