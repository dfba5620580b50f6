package org.projectbeacon.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * A publisher's state for operators ("check outbox publisher status").
 *
 * @param running whether the workers run
 * @param lastSuccessfulPublish when a batch was last acknowledged, if ever
 * @param lastError the last error (class and message), if any since start
 * @param lastErrorAt when it happened
 * @param backlog unpublished rows at the time of the call, or -1 when the count failed
 * @param breakerState the sink guard's circuit breaker state
 */
public record PublisherStatus(boolean running, Optional<Instant> lastSuccessfulPublish, Optional<String> lastError,
        Optional<Instant> lastErrorAt, long backlog, String breakerState) {}
