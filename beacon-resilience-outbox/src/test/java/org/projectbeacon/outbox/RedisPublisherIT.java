package org.projectbeacon.outbox;

import org.projectbeacon.resilience.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/** The publisher against the real PostgreSQL and Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisPublisherIT {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    DataSource ds;
    OutboxConfig config;
    Outbox outbox;
    RedisClient client;
    StatefulRedisConnection<String, String> redisConnection;
    RedisCommands<String, String> redis;
    String keyPrefix;
    RedisStreamSink sink;
    DeadLetterQueue dlq;
    final List<OutboxPublisher> publishers = new ArrayList<>();

    @BeforeAll
    void setUp() throws SQLException {
        String prefix = TestServices.prefix("pub");
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        client = TestServices.redis();
        redisConnection = client.connect();
        redis = redisConnection.sync();
        keyPrefix = "beacon-test:" + prefix + ":";
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(keyPrefix).connections(4).build());
        dlq = DeadLetterQueue.create(ds, config, sink);
    }

    @AfterEach
    void stopPublishers() {
        publishers.forEach(OutboxPublisher::close);
        publishers.clear();
    }

    @BeforeEach
    void clean() throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + config.outboxTable());
            st.executeUpdate("DELETE FROM " + config.deadLetterTable());
        }
    }

    @AfterAll
    void tearDown() {
        if (redis != null) {
            List<String> keys = redis.keys(keyPrefix + "*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
            redisConnection.close();
            sink.close();
            client.shutdown();
        }
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    OutboxPublisher publisher(PublisherConfig.Builder cfg, OutboxSink sinkToUse, OutboxMetrics metrics) {
        OutboxPublisher p = OutboxPublisher.builder(ds, config, sinkToUse)
                .config(cfg.pollInterval(Duration.ofMillis(200)).build()).metrics(metrics).build();
        publishers.add(p);
        return p;
    }

    List<UUID> enqueue(String stream, String key, int n) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                OutboxMessage m = OutboxMessage.builder(stream).key(key).payload(Integer.toString(i)).build();
                outbox.enqueue(c, m);
                ids.add(m.id());
            }
            c.commit();
        }
        return ids;
    }

    long backlog() throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<StreamMessage<String, String>> entries(String stream) {
        return redis.xrange(keyPrefix + stream, Range.create("-", "+"));
    }

    @Test
    void committedMessageIsPublishedAndRolledBackOneNever() throws SQLException {
        OutboxMessage committed = OutboxMessage.builder("commit").payload("yes").header("trace", "t1").build();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, OutboxMessage.builder("commit").payload("no").build());
            c.rollback();
            outbox.enqueue(c, committed);
            c.commit();
        }
        OutboxMetrics metrics = OutboxMetrics.create();
        OutboxPublisher p = publisher(PublisherConfig.builder(), sink, metrics);
        p.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> backlog() == 0 && metrics.publishedTotal() == 1);
        List<StreamMessage<String, String>> entries = entries("commit");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.getBody()).containsEntry("id", committed.id().toString()).containsEntry("payload", "yes")
                    .containsEntry("h:trace", "t1");
        });
        PublisherStatus status = p.status();
        assertThat(status.running()).isTrue();
        assertThat(status.lastSuccessfulPublish()).isPresent();
        assertThat(status.backlog()).isZero();
        assertThat(p.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(p.status().running()).isFalse();
        p.restart(Duration.ofSeconds(10));
        assertThat(p.isRunning()).isTrue();
    }

    @Test
    void postgresNotificationWakesAnIdlePublisherLongBeforeItsPollInterval() throws SQLException {
        OutboxMetrics metrics = OutboxMetrics.create();
        OutboxPublisher p = OutboxPublisher.builder(ds, config, sink).metrics(metrics)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMinutes(10)).build()).build();
        publishers.add(p);
        p.start();
        // Let the worker find nothing and go idle for its 10 minute poll interval.
        await().atMost(Duration.ofSeconds(10)).until(() -> p.status().running());
        enqueue("wake", null, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.publishedTotal() == 1);
        assertThat(redis.xlen(keyPrefix + "wake")).isEqualTo(1);
    }

    @Test
    void approximateMaxLenTrimsAndDedupCanBeTurnedOff() throws Exception {
        try (RedisStreamSink trimming = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(keyPrefix)
                .maxLen(10).dedup(false).build())) {
            List<OutboxRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(new OutboxRecord(UUID.randomUUID(), "trimmed", null, new byte[] {1}, "x", Map.of(), Instant.now(), 0));
            }
            assertThat(trimming.send(batch)).allSatisfy(r -> assertThat(r.entryId()).isNotNull());
            // Without dedup the same ids go in again.
            assertThat(trimming.send(batch.subList(0, 5))).allSatisfy(r -> assertThat(r.duplicate()).isFalse());
        }
        assertThat(redis.xlen(keyPrefix + "trimmed")).isLessThan(1000);
    }

    @Test
    void markPublishedKeepsRowsUntilRetention() throws SQLException {
        enqueue("kept", null, 5);
        OutboxMetrics metrics = OutboxMetrics.create();
        publisher(PublisherConfig.builder().ackMode(AckMode.MARK_PUBLISHED).retention(Duration.ofHours(1)), sink, metrics)
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> metrics.publishedTotal() == 5);
        assertThat(backlog()).as("rows kept with published_at").isEqualTo(5);
        assertThat(redis.xlen(keyPrefix + "kept")).isEqualTo(5);
        clock.advance(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> backlog() == 0);
    }

    @Test
    void twoPublishersWithDedupPutEveryMessageInTheStreamExactlyOnce() throws Exception {
        List<UUID> ids = enqueue("once", null, 3000);
        OutboxMetrics m1 = OutboxMetrics.create();
        OutboxMetrics m2 = OutboxMetrics.create();
        publisher(PublisherConfig.builder().workers(2).batchSize(100).owner("p1"), sink, m1).start();
        publisher(PublisherConfig.builder().workers(2).batchSize(100).owner("p2"), sink, m2).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == 0);
        List<StreamMessage<String, String>> entries = entries("once");
        assertThat(entries).hasSize(3000);
        assertThat(entries.stream().map(e -> e.getBody().get("id")).distinct().count()).isEqualTo(3000);
        assertThat(m1.publishedTotal() + m2.publishedTotal()).isEqualTo(3000);
        // A replay after a crash (same ids sent again) adds nothing.
        List<OutboxRecord> replay = ids.subList(0, 10).stream().map(id -> new OutboxRecord(id, "once", null,
                new byte[] {1}, "x", Map.of(), Instant.now(), 0)).toList();
        assertThat(sink.send(replay)).allSatisfy(r -> assertThat(r.duplicate()).isTrue());
        assertThat(redis.xlen(keyPrefix + "once")).isEqualTo(3000);
    }

    @Test
    void perKeyOrderHoldsUnderTwoWorkers() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 60; i++) {
                for (int k = 0; k < 5; k++) {
                    outbox.enqueue(c, OutboxMessage.builder("ordered").key("k" + k).payload(Integer.toString(i)).build());
                }
                outbox.enqueue(c, OutboxMessage.builder("ordered").payload("free").build());
            }
            c.commit();
        }
        publisher(PublisherConfig.builder().workers(2).batchSize(7), sink, OutboxMetrics.create()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == 0);
        Map<String, List<Integer>> byKey = new HashMap<>();
        List<StreamMessage<String, String>> entries = entries("ordered");
        assertThat(entries).hasSize(360);
        for (StreamMessage<String, String> e : entries) {
            String key = e.getBody().get("key");
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.parseInt(e.getBody().get("payload")));
            }
        }
        assertThat(byKey).hasSize(5);
        byKey.values().forEach(seq -> assertThat(seq).isSorted().hasSize(60));
    }

    @Test
    void leaseExpiringMidPublishIsReclaimedAndTheStaleAcknowledgementRejected() throws Exception {
        enqueue("lease", null, 20);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OutboxSink slow = batch -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return sink.send(batch);
        };
        OutboxMetrics slowMetrics = OutboxMetrics.create();
        // Leases on the test's clock, so that moving it expires the stale lease (the default is the database's clock).
        OutboxPublisher stale = publisher(PublisherConfig.builder().owner("stale").leaseDuration(Duration.ofSeconds(30))
                .leaseClock(clock), slow, slowMetrics);
        stale.start();
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(31));
        OutboxMetrics freshMetrics = OutboxMetrics.create();
        publisher(PublisherConfig.builder().owner("fresh").leaseClock(clock), sink, freshMetrics).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> freshMetrics.publishedTotal() == 20);
        assertThat(freshMetrics.reclaimedTotal()).isEqualTo(20);
        release.countDown();
        assertThat(stale.stop(Duration.ofSeconds(20))).isTrue(); // waits for the in-flight batch and its acknowledgement
        assertThat(slowMetrics.publishedTotal()).as("stale acknowledgement rejected").isZero();
        assertThat(redis.xlen(keyPrefix + "lease")).isEqualTo(20);
        assertThat(backlog()).isZero();
    }

    @Test
    void poisonMessageGoesToTheDeadLetterQueueWhileOthersPublishAndRequeuePublishesIt() throws Exception {
        redis.set(keyPrefix + "poison", "not a stream"); // XADD to it fails with WRONGTYPE
        UUID poison = enqueue("poison", null, 1).get(0);
        enqueue("healthy", null, 25);
        OutboxMetrics metrics = OutboxMetrics.create();
        publisher(PublisherConfig.builder().batchSize(10), sink, metrics).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> dlq.count(DeadLetterFilter.all()) == 1 && backlog() == 0);
        assertThat(redis.xlen(keyPrefix + "healthy")).isEqualTo(25);
        assertThat(metrics.deadLetteredTotal()).isEqualTo(1);
        DeadLetter d = dlq.find(poison).orElseThrow();
        assertThat(d.errorClass()).isEqualTo(NonRetryableException.class.getName());
        assertThat(d.errorMessage()).startsWith("WRONGTYPE");
        assertThat(dlq.failurePatterns(DeadLetterFilter.stream("poison"))).singleElement()
                .satisfies(f -> assertThat(f.count()).isEqualTo(1));

        redis.del(keyPrefix + "poison"); // the operator fixes the cause
        assertThat(dlq.requeue(poison)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.exists(keyPrefix + "poison") == 1
                && redis.type(keyPrefix + "poison").equals("stream") && redis.xlen(keyPrefix + "poison") == 1);
        assertThat(dlq.count(DeadLetterFilter.all())).isZero();
    }

    @Test
    void retryableFailuresBackOffAndDeadLetterAfterMaxAttemptsAndRepublishSendsIt() throws Exception {
        UUID id = enqueue("flaky", null, 1).get(0);
        enqueue("steady", null, 5);
        OutboxSink failing = batch -> {
            List<SendResult> results = new ArrayList<>();
            List<SendResult> real = sink.send(batch.stream().filter(r -> !r.stream().equals("flaky")).toList());
            int j = 0;
            for (OutboxRecord r : batch) {
                results.add(r.stream().equals("flaky")
                        ? SendResult.failed(new IllegalStateException("timeout talking to node 10.0.0." + r.attempts()))
                        : real.get(j++));
            }
            return results;
        };
        publisher(PublisherConfig.builder().maxAttempts(3).backoffInitial(Duration.ofSeconds(10)), failing,
                OutboxMetrics.create()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.xlen(keyPrefix + "steady") == 5);
        // The failed attempt is scheduled 10 s +- jitter later on the injected clock: move it on, twice.
        for (int i = 0; i < 2; i++) {
            int attemptsBefore = attempts(id);
            clock.advance(Duration.ofSeconds(40));
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(id) != attemptsBefore);
        }
        List<FailurePattern> patterns = dlq.failurePatterns(DeadLetterFilter.all());
        assertThat(patterns).singleElement().satisfies(f -> {
            assertThat(f.errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(f.errorPattern()).isEqualTo("timeout talking to node <n>.<n>.<n>.<n>");
        });
        assertThat(dlq.find(id).orElseThrow().attempts()).isEqualTo(3);
        SendResult result = dlq.republish(id);
        assertThat(result.isSuccess()).isTrue();
        assertThat(redis.xlen(keyPrefix + "flaky")).isEqualTo(1);
        assertThat(dlq.count(DeadLetterFilter.all())).isZero();
    }

    /** Attempts of the row, or -1 once it left the outbox table. */
    int attempts(UUID id) throws SQLException {
        try (Connection c = ds.getConnection();
                var ps = c.prepareStatement("SELECT attempts FROM " + config.outboxTable() + " WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    @Test
    void requeueByFilterKeepsHistory() throws Exception {
        Set<UUID> ids = new HashSet<>(enqueue("bulk", null, 3));
        OutboxSink alwaysFails = batch -> batch.stream()
                .map(r -> SendResult.failed(new NonRetryableException("schema " + r.id() + " rejected"))).toList();
        publisher(PublisherConfig.builder(), alwaysFails, OutboxMetrics.create()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> dlq.count(DeadLetterFilter.stream("bulk")) == 3);
        assertThat(dlq.failurePatterns(DeadLetterFilter.all())).singleElement()
                .satisfies(f -> assertThat(f.errorPattern()).isEqualTo("schema <uuid> rejected"));
        stopPublishers();
        assertThat(dlq.requeue(DeadLetterFilter.stream("bulk"))).isEqualTo(3);
        publisher(PublisherConfig.builder(), sink, OutboxMetrics.create()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.xlen(keyPrefix + "bulk") == 3);
        assertThat(entries("bulk").stream().map(e -> UUID.fromString(e.getBody().get("id")))).containsExactlyInAnyOrderElementsOf(ids);
    }
}
