package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectbeacon.outbox.spi.DeliveryTracker;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;

/**
 * Retention until done on PostgreSQL against a redis-server of the test's own: the stream loses
 * entries (restart without persistence, XTRIM with the de-duplication keys intact) and the
 * reconciler brings back every message that was not done, once; and the publisher's breaker closes
 * by itself after an outage with nothing to publish.
 */
class RedisReconcileIT {

    static final int N = 12;

    OwnRedisPostgresFixture env;
    OutboxPublisher publisher;
    final Set<UUID> done = ConcurrentHashMap.newKeySet();
    final DeliveryTracker tracker = ids -> ids.stream().filter(done::contains).collect(Collectors.toSet());

    @BeforeEach
    void setUp() throws Exception {
        env = OwnRedisPostgresFixture.open("reconcile");
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

    void startPublisher(Guard guard, AckMode mode) {
        publisher = OutboxPublisher.builder(env.ds, env.config, env.sink).guard(guard)
                .config(PublisherConfig.builder().ackMode(mode).pollInterval(Duration.ofMillis(100)).build()).build();
        publisher.start();
    }

    Guard guard(boolean automaticTransition) {
        return env.guards.guard("redis", GuardConfig.builder()
                .retryMaxAttempts(1).slidingWindowSize(4).minimumNumberOfCalls(2).permittedCallsInHalfOpenState(3)
                .waitDurationInOpenState(Duration.ofMillis(500)).automaticTransitionToHalfOpen(automaticTransition)
                .timeout(Duration.ofSeconds(5)).build());
    }

    List<UUID> enqueue(int n) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = env.ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                OutboxMessage m = OutboxMessage.builder("jobs").key("k" + (i % 4)).payload("m" + i).build();
                env.outbox.enqueue(c, m);
                ids.add(m.id());
            }
        }
        return ids;
    }

    long count(String where) throws SQLException {
        try (Connection c = env.ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + env.config.outboxTable() + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The message ids of the stream's entries, in stream order (duplicates kept). */
    List<UUID> streamIds() {
        try (StatefulRedisConnection<String, String> c = env.client.connect()) {
            List<StreamMessage<String, String>> entries = c.sync().xrange("jobs", Range.create("-", "+"));
            return entries.stream().map(e -> UUID.fromString(e.getBody().get("id"))).toList();
        }
    }

    /** Publishes N kept messages, marks the first third done, and returns the ids. */
    List<UUID> publishKept() throws Exception {
        startPublisher(guard(true), AckMode.KEEP_UNTIL_DONE);
        List<UUID> ids = enqueue(N);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("published_at IS NOT NULL AND stream_entry_id IS NOT NULL") == N);
        assertThat(streamIds()).hasSize(N);
        done.addAll(ids.subList(0, N / 3));
        return ids;
    }

    /** Reconciles (retrying while the env.sink reconnects) until {@code expected} rows were republished in all. */
    void reconcileUntilRepublished(OutboxReconciler reconciler, long expected) {
        AtomicLong republished = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> republished.addAndGet(reconciler.reconcileOnce().republished()) >= expected);
        assertThat(republished.get()).isEqualTo(expected);
    }

    void assertEveryOpenMessageIsInTheStreamOnce(List<UUID> ids, List<UUID> before) throws SQLException {
        List<UUID> open = ids.subList(N / 3, N);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("published_at IS NULL") == 0
                && streamIds().size() == before.size() + open.size());
        List<UUID> added = streamIds().subList(before.size(), before.size() + open.size());
        assertThat(added).containsExactlyInAnyOrderElementsOf(open);
        assertThat(count("1 = 1")).as("done rows deleted, open rows kept").isEqualTo(open.size());
    }

    @Test
    void messagesLostByARestartWithoutPersistenceArePublishedAgainAndDoneOnesDeleted() throws Exception {
        List<UUID> ids = publishKept();
        env.server.stop();
        env.server.startAgain(); // empty: --save "" --appendonly no
        assertThat(streamIds()).isEmpty();
        OutboxMetrics metrics = OutboxMetrics.create();
        OutboxReconciler reconciler = OutboxReconciler.builder(env.ds, env.config, env.sink, tracker).metrics(metrics)
                .config(ReconcilerConfig.builder().grace(Duration.ZERO).build()).build();

        reconcileUntilRepublished(reconciler, N - N / 3);

        assertEveryOpenMessageIsInTheStreamOnce(ids, List.of());
        assertThat(metrics.reconciledTotal()).isEqualTo(N - N / 3);
    }

    @Test
    void messagesTrimmedAwayWhileTheirDedupKeysSurviveArePublishedAgain() throws Exception {
        List<UUID> ids = publishKept();
        try (StatefulRedisConnection<String, String> c = env.client.connect()) {
            c.sync().xtrim("jobs", 0);
            assertThat(c.sync().exists(ids.stream().map(id -> env.sink.config().dedupKey(env.sink.config().streamKey("jobs"), id)).toArray(String[]::new)))
                    .as("de-duplication keys intact").isEqualTo(N);
        }
        OutboxReconciler reconciler = OutboxReconciler.builder(env.ds, env.config, env.sink, tracker)
                .config(ReconcilerConfig.builder().grace(Duration.ZERO).build()).build();

        reconcileUntilRepublished(reconciler, N - N / 3);

        assertEveryOpenMessageIsInTheStreamOnce(ids, List.of());
        assertThat(reconciler.reconcileOnce().republished()).as("the new entries are found").isZero();
    }

    @ParameterizedTest(name = "automatic transition to half-open: {0}")
    @ValueSource(booleans = {true, false})
    void theBreakerClosesByItselfAfterAnOutageWithNothingToPublish(boolean automaticTransition) throws Exception {
        Guard guard = guard(automaticTransition);
        startPublisher(guard, AckMode.DELETE);
        env.server.stop();
        enqueue(20);
        await().atMost(Duration.ofSeconds(30)).until(() -> guard.circuitBreaker().getState() == CircuitBreaker.State.OPEN);
        try (Connection c = env.ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + env.config.outboxTable()); // nothing left to publish: no traffic
        }
        env.server.startAgain();
        await().atMost(Duration.ofSeconds(30)).until(() -> guard.circuitBreaker().getState() == CircuitBreaker.State.CLOSED);
        assertThat(publisher.status().breakerState()).isEqualTo("CLOSED");
    }
}
