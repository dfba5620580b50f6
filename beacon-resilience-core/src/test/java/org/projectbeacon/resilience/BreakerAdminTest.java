package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakerAdminTest {

    private final MutableClock clock = MutableClock.atEpochDay();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GuardRegistry registry = GuardRegistry.builder().clock(clock).scheduler(scheduler).build();
    private final BreakerAdmin admin = registry.admin();
    private final List<AdminAuditEvent> audit = new CopyOnWriteArrayList<>();
    private final GuardConfig config = GuardConfig.builder()
            .slidingWindowSize(4)
            .minimumNumberOfCalls(4)
            .retryMaxAttempts(1)
            .withoutTimeout()
            .automaticTransitionToHalfOpen(false)
            .build();
    private final Guard golem = registry.guard("golem", config);
    private final Guard ipfs = registry.guard("ipfs", config);

    BreakerAdminTest() {
        registry.metrics().bindTo(meters);
        admin.onAudit(audit::add);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void snapshotShowsNullRatesBelowTheMinimumNumberOfCalls() {
        GuardTest.fail(golem);
        BreakerSnapshot snapshot = admin.snapshot("golem");
        assertThat(snapshot.state()).isEqualTo(State.CLOSED);
        assertThat(snapshot.failureRate()).isNull();
        assertThat(snapshot.slowCallRate()).isNull();
        assertThat(snapshot.bufferedCalls()).isEqualTo(1);
        assertThat(snapshot.failedCalls()).isEqualTo(1);
        assertThat(snapshot.since()).isEqualTo(Instant.parse("2026-11-28T03:00:00Z"));
        assertThat(snapshot.forcedOpenUntil()).isNull();
    }

    @Test
    void snapshotShowsRatesCountsAndTheTimeOfTheLastTransition() {
        clock.advance(Duration.ofMinutes(7));
        GuardTest.openBreaker(golem);
        assertThatThrownBy(() -> GuardTest.succeed(golem)).isNotNull();
        BreakerSnapshot snapshot = admin.snapshot("golem");
        assertThat(snapshot.state()).isEqualTo(State.OPEN);
        assertThat(snapshot.failureRate()).isEqualTo(100f);
        assertThat(snapshot.slowCallRate()).isEqualTo(0f);
        assertThat(snapshot.failedCalls()).isEqualTo(4);
        assertThat(snapshot.notPermittedCalls()).isEqualTo(1);
        assertThat(snapshot.since()).isEqualTo(Instant.parse("2026-11-28T03:07:00Z"));
        assertThat(admin.snapshots()).extracting(BreakerSnapshot::name).containsExactly("golem", "ipfs");
    }

    @Test
    void resetClosesAnOpenBreakerAndClearsItsWindow() {
        GuardTest.openBreaker(golem);
        BreakerSnapshot after = admin.reset("golem", "alice");
        assertThat(after.state()).isEqualTo(State.CLOSED);
        assertThat(after.bufferedCalls()).isZero();
        assertThat(after.failureRate()).isNull();
        assertThat(GuardTest.await(golem)).isEqualTo("ok");
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.operation()).isEqualTo(AdminOperation.RESET);
            assertThat(event.target()).isEqualTo("golem");
            assertThat(event.actor()).isEqualTo("alice");
            assertThat(event.at()).isEqualTo(clock.instant());
            assertThat(event.resultingState()).isEqualTo(State.CLOSED);
        });
        assertThat(operations("reset")).isEqualTo(1.0);
    }

    @Test
    void resetAllResetsEveryBreakerAndAuditsEach() {
        GuardTest.openBreaker(golem);
        GuardTest.openBreaker(ipfs);
        List<BreakerSnapshot> after = admin.resetAll("bob");
        assertThat(after).extracting(BreakerSnapshot::state).containsOnly(State.CLOSED);
        assertThat(audit).extracting(AdminAuditEvent::target).containsExactly("golem", "ipfs");
        assertThat(operations("reset")).isEqualTo(2.0);
    }

    @Test
    void forceOpenRejectsCallsForItsDurationThenClosesByItself() {
        BreakerSnapshot forced = admin.forceOpen("golem", Duration.ofMinutes(5), "carol");
        assertThat(forced.state()).isEqualTo(State.FORCED_OPEN);
        assertThat(forced.forcedOpenUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(golem.permitsCalls()).isFalse();

        scheduler.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.FORCED_OPEN);

        scheduler.advance(Duration.ofMillis(1));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);
        assertThat(admin.snapshot("golem").forcedOpenUntil()).isNull();
        assertThat(audit).extracting(AdminAuditEvent::operation).containsExactly(AdminOperation.FORCE_OPEN);
        assertThat(operations("force-open")).isEqualTo(1.0);
    }

    @Test
    void anotherOperationCancelsThePendingForceOpenExpiry() {
        admin.forceOpen("golem", Duration.ofMinutes(5), "carol");
        admin.disable("golem", "dave");
        assertThat(scheduler.pending()).isZero();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.DISABLED);
    }

    @Test
    void forcingOpenAgainReplacesTheEarlierExpiry() {
        admin.forceOpen("golem", Duration.ofMinutes(1), "carol");
        admin.forceOpen("golem", Duration.ofMinutes(10), "carol");
        scheduler.advance(Duration.ofMinutes(2));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.FORCED_OPEN);
        scheduler.advance(Duration.ofMinutes(8));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void disableLetsEverythingThroughAndMetricsOnlyKeepsRecording() {
        GuardTest.openBreaker(golem);
        assertThat(admin.disable("golem", "erin").state()).isEqualTo(State.DISABLED);
        for (int i = 0; i < 10; i++) {
            GuardTest.fail(golem);
        }
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.DISABLED);

        assertThat(admin.metricsOnly("golem", "erin").state()).isEqualTo(State.METRICS_ONLY);
        GuardTest.fail(golem);
        assertThat(admin.snapshot("golem").failedCalls()).isEqualTo(1);
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.METRICS_ONLY);

        assertThat(admin.close("golem", "erin").state()).isEqualTo(State.CLOSED);
        assertThat(audit).extracting(AdminAuditEvent::operation)
                .containsExactly(AdminOperation.DISABLE, AdminOperation.METRICS_ONLY, AdminOperation.CLOSE);
        assertThat(operations("disable")).isEqualTo(1.0);
        assertThat(operations("metrics-only")).isEqualTo(1.0);
        assertThat(operations("close")).isEqualTo(1.0);
    }

    @Test
    void closeKeepsTheWindowButLetsCallsThrough() {
        GuardTest.openBreaker(golem);
        BreakerSnapshot closed = admin.close("golem", "frank");
        assertThat(closed.state()).isEqualTo(State.CLOSED);
        assertThat(GuardTest.await(golem)).isEqualTo("ok");
    }

    @Test
    void unknownNamesAndBadDurationsChangeNothing() {
        assertThatThrownBy(() -> admin.reset("nope", "alice"))
                .isInstanceOf(UnknownGuardException.class)
                .hasMessage("no guard named 'nope'");
        assertThatThrownBy(() -> admin.forceOpen("golem", Duration.ZERO, "alice"))
                .hasMessage("duration must be positive and at most PT168H but was PT0S");
        assertThatThrownBy(() -> admin.forceOpen("golem", BreakerAdmin.MAX_FORCE_OPEN.plusMillis(1), "alice"))
                .hasMessage("duration must be positive and at most PT168H but was PT168H0.001S");
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);
        assertThat(audit).isEmpty();
        assertThat(operations("reset")).isZero();
    }

    @Test
    void aFailingAuditListenerDoesNotUndoTheOperation() {
        admin.onAudit(event -> {
            throw new IllegalStateException("listener broke");
        });
        assertThat(admin.disable("golem", "gina").state()).isEqualTo(State.DISABLED);
        assertThat(audit).hasSize(1);
    }

    private double operations(String operation) {
        return meters.get("beacon.breaker.admin.operations").tag("operation", operation).counter().count();
    }
}
