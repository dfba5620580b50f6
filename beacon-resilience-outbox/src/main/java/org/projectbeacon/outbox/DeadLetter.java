package org.projectbeacon.outbox;

import java.time.Instant;

/**
 * A message in the dead letter queue.
 *
 * @param message the message as it was stored (payload not to be modified)
 * @param attempts the attempts made before it was dead-lettered
 * @param errorClass the fully qualified class of the last error
 * @param errorMessage the last error's message, possibly truncated
 * @param errorPattern the message normalised for grouping (numbers, ids and quoted values replaced)
 * @param history earlier dead-letterings and requeues of this message, one per line, oldest first; empty when none
 * @param deadAt when it was dead-lettered
 */
public record DeadLetter(OutboxRecord message, int attempts, String errorClass, String errorMessage,
        String errorPattern, String history, Instant deadAt) {}
