package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;

/** Redis goes away and comes back: a redis-server of the test's own, on a free port. */
class RedisOutageIT {

    OwnRedisPostgresFixture env;
    OutboxPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        env = OwnRedisPostgresFixture.open("outage");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (env != null) {
            env.close();
        }
    }

    void enqueue(int n) throws SQLException {
        try (Connection c = env.ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                env.outbox.enqueue(c, OutboxMessage.builder("jobs").payload("m" + i).build());
            }
        }
    }

    long backlog() throws SQLException {
        try (Connection c = env.ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + env.config.outboxTable())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long xlen() {
        try (StatefulRedisConnection<String, String> c = env.client.connect()) {
            return c.sync().xlen("jobs");
        }
    }

    @Test
    void breakerOpensDuringAnOutageNothingIsLostAndEverythingDrainsAfterwards() throws Exception {
        Guard guard = env.guards.guard("redis", GuardConfig.builder()
                .retryMaxAttempts(1).slidingWindowSize(4).minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofMillis(500)).timeout(Duration.ofSeconds(5)).build());
        OutboxMetrics metrics = OutboxMetrics.create();
        publisher = OutboxPublisher.builder(env.ds, env.config, env.sink).guard(guard).metrics(metrics)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(100)).build()).build();
        publisher.start();
        enqueue(10);
        await().atMost(Duration.ofSeconds(20)).until(() -> backlog() == 0);
        assertThat(xlen()).isEqualTo(10);

        env.server.stop();
        enqueue(50);
        await().atMost(Duration.ofSeconds(30)).until(() -> guard.circuitBreaker().getState() == CircuitBreaker.State.OPEN);
        assertThat(backlog()).as("nothing lost").isEqualTo(50);
        assertThat(metrics.deadLetteredTotal()).isZero();
        assertThat(metrics.failedTotal()).as("an outage counts no attempt against messages").isZero();
        assertThat(publisher.status().lastError()).isPresent();

        env.server.startAgain(); // empty again: --save "" keeps nothing
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == 0);
        assertThat(xlen()).isEqualTo(50);
        assertThat(metrics.publishedTotal()).isEqualTo(60);
        assertThat(guard.circuitBreaker().getState()).isNotEqualTo(CircuitBreaker.State.OPEN);
    }
}
