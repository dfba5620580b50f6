package org.projectbeacon.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message still waiting in the outbox, as on-call sees it when jobs are stuck in the queue
 * ({@link OutboxMonitor#unpublished(int)}). Immutable.
 *
 * @param id the message id (for the example runner, the job id)
 * @param stream the target stream
 * @param key the ordering key or {@code null}
 * @param createdAt when it was enqueued (or requeued)
 * @param age how long it has waited, on the monitor's clock (zero when the clock is behind)
 * @param attempts failed publish attempts so far
 * @param nextAttemptAt when the publisher may claim it next (its backoff or delay ends)
 * @param lastError the last publish error, or {@code null}
 * @param leased whether a publisher held a lease on it when read (it may be sending it now)
 * @param stuck whether it is older than the monitor's stuck age
 */
public record UnpublishedMessage(UUID id, String stream, String key, Instant createdAt, Duration age, int attempts,
        Instant nextAttemptAt, String lastError, boolean leased, boolean stuck) {

    /** Checks the fields that must be present. */
    public UnpublishedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }
}
