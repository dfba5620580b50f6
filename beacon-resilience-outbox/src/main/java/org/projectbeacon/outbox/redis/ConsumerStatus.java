package org.projectbeacon.outbox.redis;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StreamConsumer}'s state for operators and health checks: an immutable snapshot.
 *
 * <p>The group figures ({@code pending}, {@code lag}) come from the consumer's last refresh, which
 * its poll loop makes at most every {@link StreamConsumer#STATUS_REFRESH}; {@code figuresAt} says when.
 * Error texts name the exception class and Redis' reply, never credentials.
 *
 * @param stream the stream key
 * @param group the consumer group
 * @param consumer the consumer name
 * @param running whether the poll thread runs (false for a consumer driven by {@code pollOnce})
 * @param startedAt when {@link StreamConsumer#start()} was last called, if ever
 * @param lastSuccessfulRead when a read or claim last succeeded, if ever
 * @param lastError the last read or claim error (class and message), if any since start
 * @param lastErrorAt when it happened
 * @param errorStreak failed reads or claims since the last successful one; 0 when healthy
 * @param pending entries delivered to the group and not acknowledged, -1 when unknown
 * @param lag entries of the stream not yet delivered to the group, -1 when Redis cannot tell
 * @param figuresAt when {@code pending} and {@code lag} were read, if ever
 */
public record ConsumerStatus(String stream, String group, String consumer, boolean running,
        Optional<Instant> startedAt, Optional<Instant> lastSuccessfulRead, Optional<String> lastError,
        Optional<Instant> lastErrorAt, long errorStreak, long pending, long lag, Optional<Instant> figuresAt) {

    /** Checks that no field is null. */
    public ConsumerStatus {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSuccessfulRead, "lastSuccessfulRead");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(lastErrorAt, "lastErrorAt");
        Objects.requireNonNull(figuresAt, "figuresAt");
    }
}
