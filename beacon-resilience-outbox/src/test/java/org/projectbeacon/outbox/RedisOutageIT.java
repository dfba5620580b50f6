package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/** Redis goes away and comes back: a redis-server of the test's own, on a free port. */
class RedisOutageIT {

    RedisServerProcess server;
    DataSource ds;
    OutboxConfig config;
    Outbox outbox;
    RedisClient client;
    GuardRegistry guards;
    OutboxPublisher publisher;
    RedisStreamSink sink;

    @BeforeEach
    void setUp() throws Exception {
        String prefix = TestServices.prefix("outage");
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        server = RedisServerProcess.start();
        client = RedisClient.create(server.uri());
        // Fail fast while disconnected instead of queueing, so the outage reaches the breaker at once.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().commandTimeout(Duration.ofSeconds(2)).build());
        guards = GuardRegistry.builder().build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (guards != null) {
            guards.close();
        }
        if (server != null) {
            server.close();
        }
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    void enqueue(int n) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").payload("m" + i).build());
            }
        }
    }

    long backlog() throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long xlen() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().xlen("jobs");
        }
    }

    @Test
    void breakerOpensDuringAnOutageNothingIsLostAndEverythingDrainsAfterwards() throws Exception {
        Guard guard = guards.guard("redis", GuardConfig.builder()
                .retryMaxAttempts(1).slidingWindowSize(4).minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofMillis(500)).timeout(Duration.ofSeconds(5)).build());
        OutboxMetrics metrics = OutboxMetrics.create();
        publisher = OutboxPublisher.builder(ds, config, sink).guard(guard).metrics(metrics)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(100)).build()).build();
        publisher.start();
        enqueue(10);
        await().atMost(Duration.ofSeconds(20)).until(() -> backlog() == 0);
        assertThat(xlen()).isEqualTo(10);

        server.stop();
        enqueue(50);
        await().atMost(Duration.ofSeconds(30)).until(() -> guard.circuitBreaker().getState() == CircuitBreaker.State.OPEN);
        assertThat(backlog()).as("nothing lost").isEqualTo(50);
        assertThat(metrics.deadLetteredTotal()).isZero();
        assertThat(metrics.failedTotal()).as("an outage counts no attempt against messages").isZero();
        assertThat(publisher.status().lastError()).isPresent();

        server.startAgain(); // empty again: --save "" keeps nothing
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == 0);
        assertThat(xlen()).isEqualTo(50);
        assertThat(metrics.publishedTotal()).isEqualTo(60);
        assertThat(guard.circuitBreaker().getState()).isNotEqualTo(CircuitBreaker.State.OPEN);
    }
}
