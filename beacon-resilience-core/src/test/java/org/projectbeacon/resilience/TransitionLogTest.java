package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TransitionLogTest {

    /** The runbook's own filter: {@code grep "circuit.*breaker"}. */
    private static final Pattern RUNBOOK_GREP = Pattern.compile("circuit.*breaker");

    private final MutableClock clock = MutableClock.atEpochDay();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("org.projectbeacon.resilience.CircuitBreakers");
    private GuardRegistry registry;

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        registry = GuardRegistry.builder().clock(clock).scheduler(new ManualScheduler(clock)).build();
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
}
