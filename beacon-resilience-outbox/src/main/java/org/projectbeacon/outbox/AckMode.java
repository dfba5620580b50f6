package org.projectbeacon.outbox;

/** What the publisher does with a row once its message is in the stream. */
public enum AckMode {
    /** Delete the row (the default): the table only ever holds the backlog. */
    DELETE,
    /** Keep the row with {@code published_at} set; rows older than the retention are deleted in the background. */
    MARK_PUBLISHED
}
