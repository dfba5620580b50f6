package org.projectbeacon.outbox;

import java.time.Duration;
import java.time.Instant;

/**
 * The verdict of the stuck-job detector ("more than N jobs unpublished for more than T").
 *
 * @param stuck whether more than {@code maxMessages} messages are older than {@code maxAge}
 * @param olderThanMaxAge how many unpublished messages are older than {@code maxAge}
 * @param maxMessages N
 * @param maxAge T
 * @param oldestAge the age of the oldest unpublished message
 * @param checkedAt when the underlying figures were read; {@link Instant#EPOCH} before the first refresh
 */
public record StuckJobReport(boolean stuck, long olderThanMaxAge, int maxMessages, Duration maxAge, Duration oldestAge,
        Instant checkedAt) {

    /** One line for logs and health details. */
    public String describe() {
        return (stuck ? "stuck: " : "ok: ") + olderThanMaxAge + " messages unpublished for more than " + maxAge
                + " (limit " + maxMessages + "), oldest " + oldestAge.toSeconds() + " s";
    }
}
