package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.core.EventProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TransitionLogTest {

    /** The runbook's own filter: {@code grep "circuit.*breaker"}. */
    private static final Pattern RUNBOOK_GREP = Pattern.compile("circuit.*breaker");

    private final MutableClock clock = MutableClock.atEpochDay();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("org.projectbeacon.resilience.CircuitBreakers");
    private GuardRegistry registry;

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        registry = GuardRegistry.builder().clock(clock).scheduler(scheduler).build();
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        registry.close();
    }

    @Test
    void everyTransitionIsOneLineNamingTheBreakerAndBothStates() {
        Guard golem = registry.guard("golem", GuardConfig.builder()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .retryMaxAttempts(1)
                .withoutTimeout()
                .automaticTransitionToHalfOpen(false)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedCallsInHalfOpenState(1)
                .build());
        GuardTest.openBreaker(golem);
        clock.advance(Duration.ofMillis(10_001));
        GuardTest.succeed(golem);

        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).containsExactly(
                "circuit breaker golem changed state from CLOSED to OPEN",
                "circuit breaker golem changed state from OPEN to HALF_OPEN",
                "circuit breaker golem changed state from HALF_OPEN to CLOSED");
        assertThat(lines).allMatch(line -> RUNBOOK_GREP.matcher(line).find() && !line.contains("\n"));
        assertThat(appender.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(appender.list.get(2).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void adminOperationsAreLoggedWithTheActorAndCanBeGreppedToo() {
        registry.guard("ipfs");
        registry.admin().forceOpen("ipfs", Duration.ofMinutes(5), "alice");
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).containsExactly(
                "circuit breaker ipfs changed state from CLOSED to FORCED_OPEN",
                "circuit breaker admin: force-open ipfs by alice, now FORCED_OPEN");
        assertThat(lines).allMatch(line -> RUNBOOK_GREP.matcher(line).find());
    }

    @Test
    void transitionsArePublishedAsEventsWithTheRegistryClock() {
        List<GuardEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.onEvent(events::add);
        registry.guard("redis");
        clock.advance(Duration.ofSeconds(3));
        registry.admin().disable("redis", "bob");
        assertThat(events).extracting(GuardEvent::type)
                .containsExactly(GuardEvent.Type.ADDED, GuardEvent.Type.STATE_TRANSITION);
        GuardEvent transition = events.get(1);
        assertThat(transition.fromState()).hasToString("CLOSED");
        assertThat(transition.toState()).hasToString("DISABLED");
        assertThat(transition.at()).isEqualTo(clock.instant());
    }

    /** A two-call window, 10 s open wait; {@code automatic} decides who moves it to HALF_OPEN. */
    private static GuardConfig smallWindow(boolean automatic) {
        return GuardConfig.builder()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .retryMaxAttempts(1)
                .withoutTimeout()
                .automaticTransitionToHalfOpen(automatic)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedCallsInHalfOpenState(1)
                .build();
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<String> transitions(List<GuardEvent> events) {
        return events.stream()
                .filter(e -> e.type() == GuardEvent.Type.STATE_TRANSITION)
                .map(e -> e.guardName() + " " + e.fromState() + "->" + e.toState())
                .toList();
    }

    @Test
    void theTimerDrivenMoveToHalfOpenIsLoggedAndPublishedWithoutAnyCall() {
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        registry.onEvent(events::add);
        Guard golem = registry.guard("golem", smallWindow(true));
        GuardTest.openBreaker(golem);

        scheduler.advance(Duration.ofMillis(9_999));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.OPEN);
        scheduler.advance(Duration.ofMillis(1));

        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.HALF_OPEN);
        assertThat(lines()).containsExactly(
                "circuit breaker golem changed state from CLOSED to OPEN",
                "circuit breaker golem changed state from OPEN to HALF_OPEN");
        assertThat(transitions(events)).containsExactly("golem CLOSED->OPEN", "golem OPEN->HALF_OPEN");
        assertThat(events.get(events.size() - 1).at()).isEqualTo(clock.instant());
        assertThat(registry.admin().snapshot("golem").since()).isEqualTo(clock.instant());

        GuardTest.fail(golem);
        scheduler.advance(Duration.ofSeconds(10));
        GuardTest.succeed(golem);
        assertThat(transitions(events)).containsExactly("golem CLOSED->OPEN", "golem OPEN->HALF_OPEN",
                "golem HALF_OPEN->OPEN", "golem OPEN->HALF_OPEN", "golem HALF_OPEN->CLOSED");
    }

    @Test
    void aStaleHalfOpenTimerDoesNothingOnceTheBreakerWasClosedByHand() {
        Guard golem = registry.guard("golem", smallWindow(true));
        GuardTest.openBreaker(golem);
        registry.admin().close("golem", "alice");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);
        assertThat(lines()).filteredOn(line -> line.contains("changed state")).containsExactly(
                "circuit breaker golem changed state from CLOSED to OPEN",
                "circuit breaker golem changed state from OPEN to CLOSED");
    }

    @Test
    void theGuardRegistersNoResilience4jEventConsumerSoCallsBuildNoEvents() {
        Guard golem = registry.guard("golem", smallWindow(true));
        GuardTest.succeed(golem);
        // resilience4j builds a success or error event per call exactly when this is true.
        assertThat(((EventProcessor<?>) golem.circuitBreaker().getEventPublisher()).hasConsumers()).isFalse();
    }

    @Test
    void aTransitionMadeOutsideTheGuardIsReportedAtTheNextCallOrSnapshot() {
        Guard golem = registry.guard("golem", smallWindow(false));
        Guard ipfs = registry.guard("ipfs", smallWindow(false));
        golem.circuitBreaker().transitionToOpenState();
        ipfs.circuitBreaker().transitionToForcedOpenState();
        assertThat(lines()).isEmpty();

        clock.advance(Duration.ofMillis(10_001));
        GuardTest.succeed(golem); // resilience4j moves it to HALF_OPEN lazily, then the call closes it
        registry.admin().snapshot("ipfs");

        assertThat(lines()).containsExactly(
                "circuit breaker golem changed state from CLOSED to OPEN",
                "circuit breaker golem changed state from OPEN to HALF_OPEN",
                "circuit breaker golem changed state from HALF_OPEN to CLOSED",
                "circuit breaker ipfs changed state from CLOSED to FORCED_OPEN");
    }

    @Test
    void transitionsAreLoggedOnTheRetryingAndTheAsynchronousPaths() throws Exception {
        Guard retrying = registry.guard("retrying", smallWindow(false).toBuilder()
                .retryMaxAttempts(2)
                .retryInitialInterval(Duration.ofMillis(1))
                .build());
        Guard async = registry.guard("async", smallWindow(false));
        for (int i = 0; i < 2; i++) {
            try {
                retrying.call(() -> {
                    throw new IllegalStateException("provider failed");
                });
            } catch (Exception expected) {
                // every attempt failed (or was refused once the breaker opened)
            }
        }
        for (int i = 0; i < 2; i++) {
            CompletableFuture<String> failing = new CompletableFuture<>();
            var stage = async.callAsync(() -> failing);
            failing.completeExceptionally(new IllegalStateException("provider failed"));
            assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        }
        assertThat(lines()).containsExactly(
                "circuit breaker retrying changed state from CLOSED to OPEN",
                "circuit breaker async changed state from CLOSED to OPEN");
    }

    @Test
    void concurrentCallersReportEachTransitionOnceAndInAnUnbrokenChain() throws Exception {
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        registry.onEvent(events::add);
        Guard golem = registry.guard("golem", smallWindow(false).toBuilder()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(20)
                .build());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        try {
                            golem.get(() -> {
                                throw new IllegalStateException("provider failed");
                            });
                        } catch (RuntimeException expected) {
                            // failed, or refused once the breaker is open
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            callers.shutdownNow();
        }
        clock.advance(Duration.ofMillis(10_001));
        GuardTest.succeed(golem);

        assertThat(transitions(events)).containsExactly(
                "golem CLOSED->OPEN", "golem OPEN->HALF_OPEN", "golem HALF_OPEN->CLOSED");
        assertThat(lines()).hasSize(3);
    }
}
