package org.projectbeacon.health.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.ServiceHealth;
import org.projectbeacon.resilience.MutableClock;

class HealthHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicReference<HealthReport> report = new AtomicReference<>(report(3, "UP"));
    private final HealthHistory history = HealthHistory.builder(new FixedAggregator(report, clock))
            .window(Duration.ofMinutes(30)).interval(Duration.ofSeconds(5)).clock(clock).build();

    @Test
    void samplesAgainWhenStartedAfterAClose() {
        int[] scheduled = {0};
        java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
                    long period, java.util.concurrent.TimeUnit unit) {
                scheduled[0]++;
                command.run(); // the first sample, by hand; the real schedule is a day away
                return super.scheduleAtFixedRate(command, 1, 1, java.util.concurrent.TimeUnit.DAYS);
            }
        };
        try {
            HealthHistory restartable = HealthHistory.builder(new FixedAggregator(report, clock)).clock(clock)
                    .scheduler(scheduler).build();
            restartable.start().start();
            assertThat(scheduled[0]).as("start is idempotent").isOne();
            restartable.close();
            clock.advance(Duration.ofSeconds(5));
            restartable.start();
            assertThat(scheduled[0]).as("a start after close schedules again").isEqualTo(2);
            assertThat(restartable.samples(null)).hasSize(2);
            restartable.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void keepsNumericFiguresAndStatusPerServiceButNoTextOrErrors() {
        history.sample();

        HealthHistory.Sample sample = history.samples(null).get(0);
        assertThat(sample.at()).isEqualTo(T0);
        assertThat(sample.status()).isEqualTo("UP");
        assertThat(sample.services().get("outbox"))
                .containsEntry("status", "UP")
                .containsEntry("unpublished_count", 3L)
                .containsEntry("stuck_threshold_age_seconds", 300L)
                .doesNotContainKey("figures_at");
    }

    @Test
    void dropsSamplesOlderThanTheWindowAndServesThoseAfterSince() {
        for (int i = 0; i < 400; i++) {
            report.set(report(i, "UP"));
            history.sample();
            clock.advance(Duration.ofSeconds(5));
        }

        List<HealthHistory.Sample> all = history.samples(null);
        // 30 min of 5 s samples, plus the one taken exactly at the window's edge.
        assertThat(all).hasSize(361);
        assertThat(all.get(0).at()).isEqualTo(all.get(all.size() - 1).at().minus(Duration.ofMinutes(30)));
        Instant since = all.get(all.size() - 3).at();
        assertThat(history.samples(since)).hasSize(2);
    }

    @Test
    void theBuilderRejectsBadValuesNamingThem() {
        HealthHistory.Builder builder = HealthHistory.builder(new FixedAggregator(report, clock));
        assertThatThrownBy(() -> builder.window(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window").hasMessageContaining("PT10S");
        assertThatThrownBy(() -> builder.interval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval").hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> HealthHistory.builder(null)).isInstanceOf(NullPointerException.class);
    }

    static HealthReport report(long unpublished, String status) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("unpublished_count", unpublished);
        details.put("oldest_unpublished_age_seconds", 2L * unpublished);
        details.put("stuck_threshold_age_seconds", 300L);
        details.put("figures_at", "2026-01-01T00:00:00Z");
        ServiceHealth outbox = new ServiceHealth("outbox", HealthStatus.valueOf(status), false, Duration.ofMillis(1),
                "secret detail that must not be kept", null, details, T0);
        return new HealthReport(HealthStatus.valueOf(status), T0, List.of(outbox));
    }

    /** An aggregator whose report the test sets. */
    static final class FixedAggregator implements HealthAggregator {
        private final AtomicReference<HealthReport> report;
        private final MutableClock clock;

        FixedAggregator(AtomicReference<HealthReport> report, MutableClock clock) {
            this.report = report;
            this.clock = clock;
        }

        @Override
        public HealthAggregator start() {
            return this;
        }

        @Override
        public HealthReport report() {
            return report.get();
        }

        @Override
        public HealthReport refreshNow() {
            return report.get();
        }

        @Override
        public java.time.Clock clock() {
            return clock;
        }

        @Override
        public void close() {}
    }
}
