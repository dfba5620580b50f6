package org.projectbeacon.outbox.redis;

import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.NonRetryableException;

/**
 * Processes one stream entry. Returning normally acknowledges the entry (XACK); throwing leaves it
 * pending, to be delivered again once it has been idle for the consumer's claim threshold, until the
 * delivery limit dead-letters it (into the consumer's {@link DeadLetterQueue} when it has one, else
 * the dead-letter stream). Throwing {@link NonRetryableException} dead-letters the entry at once.
 * Called on the consumer's thread, one entry at a time; must be idempotent, since an entry whose
 * acknowledgement was lost is delivered again. Should end promptly when its thread is interrupted
 * (a stop past its grace).
 */
@FunctionalInterface
public interface StreamHandler {

    /**
     * Handles {@code entry}; throw to have it retried, or {@link NonRetryableException} to dead-letter it now.
     *
     * @throws Exception when the entry could not be processed
     */
    void handle(StreamEntry entry) throws Exception;
}
