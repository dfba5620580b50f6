package org.projectbeacon.outbox;

import java.time.Instant;

/**
 * One group of the dead letter queue's failure summary: the dead letters with the same error class
 * and normalised message.
 *
 * @param errorClass the fully qualified error class
 * @param errorPattern the normalised error message
 * @param count how many dead letters have it
 * @param firstSeen the earliest dead-letter time in the group
 * @param lastSeen the latest dead-letter time in the group
 */
public record FailurePattern(String errorClass, String errorPattern, long count, Instant firstSeen, Instant lastSeen) {}
