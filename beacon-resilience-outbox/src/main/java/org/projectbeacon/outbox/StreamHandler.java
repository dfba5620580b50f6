package org.projectbeacon.outbox;

/**
 * Processes one stream entry. Returning normally acknowledges the entry (XACK); throwing leaves it
 * pending, to be delivered again once it has been idle for the consumer's claim threshold, until the
 * delivery limit moves it to the dead-letter stream. Called on the consumer's thread, one entry at a time.
 */
@FunctionalInterface
public interface StreamHandler {

    /** Handles {@code entry}; throw to have it retried. */
    void handle(StreamEntry entry) throws Exception;
}
