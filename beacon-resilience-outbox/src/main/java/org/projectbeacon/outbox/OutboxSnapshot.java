package org.projectbeacon.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The outbox figures of one refresh.
 *
 * @param takenAt when the figures were read (monitor clock)
 * @param unpublished unpublished rows
 * @param oldestCreatedAt creation time of the oldest unpublished row, empty when none
 * @param olderThanStuckAge unpublished rows created more than the stuck age before {@code takenAt}
 * @param deadLetters rows in the dead letter table
 */
public record OutboxSnapshot(Instant takenAt, long unpublished, Optional<Instant> oldestCreatedAt,
        long olderThanStuckAge, long deadLetters) {

    /** Age of the oldest unpublished row at {@code takenAt}; zero when none. */
    public Duration oldestAge() {
        return oldestCreatedAt.map(o -> Duration.between(o, takenAt)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }
}
