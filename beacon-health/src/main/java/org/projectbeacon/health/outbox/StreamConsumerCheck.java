package org.projectbeacon.health.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.outbox.redis.ConsumerStatus;
import org.projectbeacon.outbox.redis.StreamConsumer;

/**
 * Reports a {@link StreamConsumer} from its {@link ConsumerStatus}: DOWN when it does not run, or
 * when its reads keep failing and the last successful one is older than
 * {@link Builder#downAfter(Duration)}; DEGRADED with the consumer's error (such as
 * {@code NOGROUP ...; recreating the group}) while such a streak is younger, and DEGRADED when it
 * reports no error but has not read for {@link Builder#staleAfter(Duration)}; UP otherwise.
 *
 * <p>Details: {@code stream}, {@code group}, {@code consumer}, {@code pending}, {@code lag} (null
 * while unknown), {@code last_read_age_seconds} (null before the first read), {@code error_streak}.
 * A consumer that never read counts its age from its start.
 *
 * <p>Reads only the status the consumer already holds, so a health probe never queries Redis. A
 * short streak is DEGRADED rather than DOWN because the consumer heals itself (reconnects, recreates
 * its group) and a DOWN would eject every pod at once for a Redis blip. Error texts are the
 * consumer's, which carry no credentials. Thread-safe.
 */
public final class StreamConsumerCheck implements HealthCheck {

    /** Default 60 s: a failing consumer whose last successful read is older is DOWN. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(60);
    /**
     * Default 30 s: a running consumer with no error whose last successful read is older is DEGRADED.
     * Reads block for about a second, so this long without one means reads hang (a Redis that went
     * away without an error yet: the client queues commands while it reconnects) or the handler is
     * stuck on its batch.
     */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);

    private final Supplier<ConsumerStatus> status;
    private final Duration downAfter;
    private final Duration staleAfter;
    private final Clock clock;

    private StreamConsumerCheck(Builder b) {
        status = b.status;
        downAfter = b.downAfter;
        staleAfter = b.staleAfter;
        clock = b.clock;
    }

    /**
     * A check of {@code consumer} with the defaults; the caller starts and closes the consumer.
     *
     * @throws NullPointerException when {@code consumer} is null
     */
    public static StreamConsumerCheck of(StreamConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return builder(consumer::status).build();
    }

    /**
     * A builder of a check reading {@code status}, which must be cheap and must not block (such as
     * {@link StreamConsumer#status()}).
     *
     * @throws NullPointerException when {@code status} is null
     */
    public static Builder builder(Supplier<ConsumerStatus> status) {
        return new Builder(status);
    }

    /** Completes at once with the verdict on the consumer's current status; never blocks. */
    @Override
    public CompletionStage<HealthResult> check() {
        return CompletableFuture.completedFuture(evaluate(status.get()));
    }

    private HealthResult evaluate(ConsumerStatus s) {
        Instant now = clock.instant();
        Optional<Duration> readAge = s.lastSuccessfulRead().or(s::startedAt).map(t -> Duration.between(t, now));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("stream", s.stream());
        details.put("group", s.group());
        details.put("consumer", s.consumer());
        details.put("pending", s.pending() < 0 ? null : s.pending());
        details.put("lag", s.lag() < 0 ? null : s.lag());
        details.put("last_read_age_seconds",
                s.lastSuccessfulRead().map(t -> Math.max(0, Duration.between(t, now).toSeconds())).orElse(null));
        details.put("error_streak", s.errorStreak());
        String who = "stream consumer " + s.consumer() + " of " + s.stream();
        if (!s.running()) {
            return new HealthResult(HealthStatus.DOWN, who + " is not running", details, null);
        }
        if (s.errorStreak() > 0) {
            String error = s.lastError().orElse("read failed");
            if (readAge.isPresent() && readAge.get().compareTo(downAfter) > 0) {
                return new HealthResult(HealthStatus.DOWN, who + " has not read for "
                        + OutboxBacklogCheck.human(readAge.get()) + ": " + error, details, null);
            }
            return new HealthResult(HealthStatus.DEGRADED, who + ": " + error, details, null);
        }
        if (readAge.isPresent() && readAge.get().compareTo(staleAfter) > 0) {
            // No error yet is not health: a client waiting to reconnect reports nothing until it gives up.
            return new HealthResult(HealthStatus.DEGRADED, who + " has not read for "
                    + OutboxBacklogCheck.human(readAge.get()) + " (no error reported yet: reads hang or the handler"
                    + " is stuck)", details, null);
        }
        return HealthResult.up(details);
    }

    /** Builds a {@link StreamConsumerCheck}; validates eagerly, naming the parameter and value. Not thread-safe. */
    public static final class Builder {
        private final Supplier<ConsumerStatus> status;
        private Duration downAfter = DEFAULT_DOWN_AFTER;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private Clock clock = Clock.systemUTC();

        private Builder(Supplier<ConsumerStatus> status) {
            this.status = Objects.requireNonNull(status, "status");
        }

        /** How old the last successful read of a failing consumer may be before it is DOWN, positive; default 60 s. */
        public Builder downAfter(Duration downAfter) {
            if (downAfter == null || downAfter.isNegative() || downAfter.isZero()) {
                throw new IllegalArgumentException("downAfter must be positive but was " + downAfter);
            }
            this.downAfter = downAfter;
            return this;
        }

        /**
         * How old the last successful read of a consumer without errors may be before it is
         * DEGRADED, positive; default 30 s.
         */
        public Builder staleAfter(Duration staleAfter) {
            if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
                throw new IllegalArgumentException("staleAfter must be positive but was " + staleAfter);
            }
            this.staleAfter = staleAfter;
            return this;
        }

        /** The clock read ages are measured with; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The check. */
        public StreamConsumerCheck build() {
            return new StreamConsumerCheck(this);
        }
    }
}
