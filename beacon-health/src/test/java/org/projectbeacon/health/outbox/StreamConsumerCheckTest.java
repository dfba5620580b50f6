package org.projectbeacon.health.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.outbox.redis.ConsumerStatus;
import org.projectbeacon.resilience.MutableClock;

class StreamConsumerCheckTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String NOGROUP = "NOGROUP No such key 'jobs' or consumer group 'runners' in XREADGROUP with"
            + " GROUP option; recreating the group";

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicReference<ConsumerStatus> status = new AtomicReference<>();
    private final StreamConsumerCheck check = StreamConsumerCheck.builder(status::get).clock(clock)
            .downAfter(Duration.ofSeconds(60)).build();

    private static ConsumerStatus status(boolean running, Instant lastRead, String error, long streak) {
        return new ConsumerStatus("jobs", "runners", "c1", running, Optional.of(T0), Optional.ofNullable(lastRead),
                Optional.ofNullable(error), Optional.ofNullable(error == null ? null : T0), streak, 3, 7,
                Optional.of(T0));
    }

    private HealthResult run() {
        return check.check().toCompletableFuture().join();
    }

    @Test
    void upWithTheFiguresWhileReadsSucceed() {
        status.set(status(true, T0, null, 0));
        clock.set(T0.plusSeconds(2));
        HealthResult r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.UP);
        assertThat(r.details()).containsEntry("pending", 3L).containsEntry("lag", 7L)
                .containsEntry("last_read_age_seconds", 2L).containsEntry("error_streak", 0L)
                .containsEntry("stream", "jobs").containsEntry("group", "runners").containsEntry("consumer", "c1");
    }

    @Test
    void degradedWithTheErrorWhileAStreakIsYoungerThanTheThresholdThenDown() {
        status.set(status(true, T0, NOGROUP, 3));
        clock.set(T0.plusSeconds(60));
        HealthResult r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(r.error()).isEqualTo("stream consumer c1 of jobs: " + NOGROUP);

        clock.set(T0.plusSeconds(61));
        r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.error()).isEqualTo("stream consumer c1 of jobs has not read for 1m1s: " + NOGROUP);
    }

    @Test
    void aConsumerThatNeverReadCountsFromItsStartAndUnknownFiguresAreNull() {
        status.set(new ConsumerStatus("jobs", "runners", "c1", true, Optional.of(T0), Optional.empty(),
                Optional.of("RedisConnectionException: Unable to connect"), Optional.of(T0), 5, -1, -1,
                Optional.empty()));
        clock.set(T0.plusSeconds(30));
        HealthResult r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(r.details()).containsEntry("pending", null).containsEntry("lag", null)
                .containsEntry("last_read_age_seconds", null);
        clock.set(T0.plusSeconds(90));
        assertThat(run().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void anOldReadWithoutErrorsIsDegradedNeverDownBecauseTheHandlerMayBeBusy() {
        // Seen from outside: with Redis killed, the client queued the reads and reported no error for
        // the whole outage, so only the read age could tell.
        status.set(status(true, T0, "an error long ago", 0));
        clock.set(T0.plusSeconds(30));
        assertThat(run().status()).isEqualTo(HealthStatus.UP);
        clock.set(T0.plusSeconds(31));
        HealthResult r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(r.error()).isEqualTo("stream consumer c1 of jobs has not read for 31s (no error reported yet:"
                + " reads hang or the handler is stuck)");
        clock.set(T0.plusSeconds(600));
        assertThat(run().status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void staleAfterMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamConsumerCheck.builder(status::get)
                .staleAfter(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleAfter");
    }

    @Test
    void downWhenNotRunning() {
        status.set(status(false, T0, null, 0));
        HealthResult r = run();
        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.error()).isEqualTo("stream consumer c1 of jobs is not running");
    }

    @Test
    void rejectsANonPositiveThresholdNamingIt() {
        assertThatThrownBy(() -> StreamConsumerCheck.builder(status::get).downAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("downAfter must be positive but was PT0S");
    }
}
