package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.projectbeacon.outbox.redis.internal.StreamGroups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.projectbeacon.outbox.redis.ConsumerStatus;
import org.projectbeacon.outbox.redis.StreamAdmin;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.projectbeacon.outbox.redis.StreamEntry;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamConsumerIT {

    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    String prefix;

    @BeforeAll
    void setUp() {
        client = TestServices.redis();
        connection = client.connect();
        redis = connection.sync();
        prefix = "beacon-test:" + TestServices.prefix("consumer") + ":";
    }

    @AfterAll
    void tearDown() {
        if (redis != null) {
            List<String> keys = redis.keys(prefix + "*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
            connection.close();
            client.shutdown();
        }
    }

    void add(String stream, int n) {
        for (int i = 0; i < n; i++) {
            redis.xadd(stream, Map.of("payload", Integer.toString(i)));
        }
    }

    /** A consumer that reads and then dies: its entries stay pending. */
    void readAndDie(String stream, String group, String consumer) {
        readAndDie(redis, stream, group, consumer);
    }

    @SuppressWarnings("unchecked") // Lettuce's generic varargs
    static void readAndDie(RedisCommands<String, String> redis, String stream, String group, String consumer) {
        redis.xreadgroup(Consumer.from(group, consumer), XReadArgs.Builder.count(100),
                XReadArgs.StreamOffset.lastConsumed(stream));
    }

    @Test
    void handlesAcknowledgesAndCountsJobsProcessed() {
        String stream = prefix + "jobs";
        RunnerMetrics metrics = RunnerMetrics.create();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1",
                e -> handled.add(e.fields().get("payload"))).metrics(metrics).block(Duration.ofMillis(100)).build()) {
            add(stream, 3);
            consumer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        }
        assertThat(handled).containsExactly("0", "1", "2");
        assertThat(StreamAdmin.create(client).pending(stream)).singleElement()
                .satisfies(g -> assertThat(g.pending()).isZero());
        assertThat(registry.scrape()).contains("jobs_processed_total{outcome=\"success\"} 3.0");
    }

    @Test
    void reclaimsADeadConsumersPendingEntries() {
        String stream = prefix + "reclaim";
        List<StreamEntry> handled = new CopyOnWriteArrayList<>();
        try (StreamConsumer survivor = StreamConsumer.builder(client, stream, "runners", "survivor", handled::add)
                .claimIdle(Duration.ofMillis(200)).block(Duration.ofMillis(50)).build()) {
            assertThat(survivor.pollOnce()).as("the first round connects and creates the group").isZero();
            add(stream, 4);
            readAndDie(stream, "runners", "crashed");
            assertThat(StreamAdmin.create(client).pending(stream).get(0).perConsumer()).containsEntry("crashed", 4L);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                survivor.pollOnce();
                return handled.size() == 4;
            });
        }
        assertThat(handled).allSatisfy(e -> assertThat(e.deliveries()).isEqualTo(2));
        assertThat(StreamAdmin.create(client).pending(stream).get(0).pending()).isZero();
    }

    @Test
    void entryFailingTooOftenGoesToTheDeadLetterStream() {
        String stream = prefix + "poison";
        RunnerMetrics metrics = RunnerMetrics.create();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1", e -> {
            throw new IllegalStateException("cannot process " + e.id());
        }).maxDeliveries(2).claimIdle(Duration.ofMillis(50)).block(Duration.ofMillis(20)).metrics(metrics).build()) {
            add(stream, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.pollOnce();
                return redis.xlen(consumer.deadLetterStream()) == 1;
            });
            assertThat(redis.xrange(consumer.deadLetterStream(), io.lettuce.core.Range.create("-", "+")).get(0).getBody())
                    .containsEntry("payload", "0").containsEntry("deliveries", "3").containsEntry("group", "runners")
                    .containsEntry("source-stream", stream);
        }
        assertThat(StreamAdmin.create(client).pending(stream).get(0).pending()).isZero();
        assertThat(registry.scrape()).contains("jobs_processed_total{outcome=\"failure\"} 2.0");
    }

    @Test
    void clearingOrTrimmingAStreamWithPendingEntriesIsRefused() {
        String stream = prefix + "stuck";
        StreamAdmin admin = StreamAdmin.create(client);
        add(stream, 3);
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), "runners");
        readAndDie(stream, "runners", "worker-7");
        assertThatThrownBy(() -> admin.clear(stream)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to clear stream " + stream)
                .hasMessageContaining("3 entries are pending").hasMessageContaining("group runners")
                .hasMessageContaining("worker-7=3");
        assertThatThrownBy(() -> admin.trim(stream, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to trim");
        assertThat(redis.xlen(stream)).isEqualTo(3);

        redis.xack(stream, "runners", redis.xrange(stream, io.lettuce.core.Range.create("-", "+")).stream()
                .map(m -> m.getId()).toArray(String[]::new));
        assertThat(admin.trim(stream, 1)).isEqualTo(2);
        assertThat(admin.clear(stream)).isTrue();
        assertThat(redis.exists(stream)).isZero();
    }

    List<String> consumerNames(String stream, String group) {
        return redis.xinfoConsumers(stream, group).stream().map(c -> String.valueOf(StreamGroups.fields(c).get("name")))
                .sorted().toList();
    }

    @Test
    void buildingDoesNoIoAndAConsumerStartedWithoutRedisReportsTheError() {
        RedisClient nowhere = RedisClient.create("redis://127.0.0.1:1");
        try (StreamConsumer consumer = StreamConsumer.builder(nowhere, prefix + "nowhere", "runners", "c1", e -> { })
                .block(Duration.ofMillis(50)).stopGrace(Duration.ofSeconds(5)).build()) {
            assertThat(consumer.status().lastError()).isEmpty();
            consumer.start();
            ConsumerStatus status = consumer.status();
            assertThat(status.running()).isTrue();
            assertThat(status.errorStreak()).isPositive();
            assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("RedisConnectionException"));
            assertThat(status.lastSuccessfulRead()).isEmpty();
        } finally {
            nowhere.shutdown();
        }
    }

    @Test
    void stopLetsTheEntryInHandFinishTakesNothingNewAndLeavesTheGroup() throws Exception {
        String stream = prefix + "graceful";
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1", e -> {
            entered.countDown();
            release.await();
            handled.add(e.id());
        }).block(Duration.ofMillis(50)).build()) {
            add(stream, 1);
            consumer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> consumer.stop(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.status().running());
            add(stream, 1); // arrives after the stop: must not be taken
            release.countDown();
            assertThat(stopped.get()).as("ended within the grace").isTrue();
            assertThat(handled).hasSize(1);
            assertThat(consumer.pollOnce()).as("a stopped consumer reads nothing").isZero();
        }
        assertThat(StreamAdmin.create(client).pending(stream)).singleElement()
                .satisfies(g -> assertThat(g.pending()).isZero());
        assertThat(consumerNames(stream, "runners")).as("a clean stop removes the name").isEmpty();
    }

    @Test
    void anEntryUnfinishedWhenTheGraceRunsOutStaysPendingAndKeepsTheName() throws Exception {
        String stream = prefix + "ungraceful";
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1", e -> {
            entered.countDown();
            never.await(); // interrupted when the grace runs out
        }).block(Duration.ofMillis(50)).stopGrace(Duration.ofMillis(100)).build()) {
            add(stream, 1);
            consumer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            assertThat(consumer.stop(Duration.ofMillis(100))).as("ended within the grace").isFalse();
        }
        assertThat(StreamAdmin.create(client).pending(stream)).singleElement()
                .satisfies(g -> assertThat(g.perConsumer()).containsExactly(Map.entry("c1", 1L)));
        assertThat(consumerNames(stream, "runners")).containsExactly("c1");
    }

    @Test
    void removeIdleConsumersRemovesOnlyIdleNamesWithoutPendingEntries() {
        String stream = prefix + "names";
        StreamAdmin admin = StreamAdmin.create(client);
        add(stream, 2);
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), "runners");
        readAndDie(stream, "runners", "holder");
        redis.xgroupCreateconsumer(stream, Consumer.from("runners", "empty-1")); // names a restart left behind
        redis.xgroupCreateconsumer(stream, Consumer.from("runners", "empty-2"));
        assertThat(consumerNames(stream, "runners")).containsExactly("empty-1", "empty-2", "holder");

        assertThat(admin.removeIdleConsumers(stream, "runners", Duration.ofHours(1))).isEmpty();
        assertThat(admin.removeIdleConsumers(stream, "runners", Duration.ZERO)).containsExactly("empty-1", "empty-2");
        assertThat(consumerNames(stream, "runners")).containsExactly("holder");
        assertThat(admin.pending(stream).get(0).perConsumer()).containsEntry("holder", 2L);
        assertThat(admin.removeIdleConsumers(prefix + "no-such-stream", "runners", Duration.ZERO)).isEmpty();
        assertThatThrownBy(() -> admin.removeIdleConsumers(stream, "runners", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleAtLeast").hasMessageContaining("PT-1S");
    }

    @Test
    void aNonRetryableFailureGoesToTheDeadLetterStreamAtOnce() {
        String stream = prefix + "nonretryable";
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1", e -> {
            throw new NonRetryableException("malformed job " + e.id());
        }).block(Duration.ofMillis(20)).build()) {
            add(stream, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.pollOnce() == 1);
            assertThat(redis.xrange(consumer.deadLetterStream(), io.lettuce.core.Range.create("-", "+"))).singleElement()
                    .satisfies(m -> assertThat(m.getBody()).containsEntry("deliveries", "1"));
        }
        assertThat(StreamAdmin.create(client).pending(stream).get(0).pending()).isZero();
    }

    @Test
    void registersExactlyTheFourConsumerSeriesTaggedWithStreamAndGroup() {
        String stream = prefix + "metrics";
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (StreamConsumer consumer = StreamConsumer.builder(client, stream, "runners", "c1", e -> { })
                .block(Duration.ofMillis(20)).build()) {
            consumer.bindTo(registry);
            add(stream, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.pollOnce() == 3);
            consumer.pollOnce(); // within the refresh interval: the figures stay those of the first round
            ConsumerStatus status = consumer.status();
            assertThat(status.lastSuccessfulRead()).isPresent();
            assertThat(status.errorStreak()).isZero();
            assertThat(status.figuresAt()).isPresent();
            assertThat(status.pending()).isBetween(0L, 3L);
            assertThat(status.lag()).as("Redis 7 reports the lag").isBetween(0L, 3L);
            String scrape = registry.scrape();
            java.util.Set<String> series = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(java.util.TreeSet::new));
            assertThat(series).containsExactly(
                    "outbox_consumer_lag", "outbox_consumer_last_read_age_seconds", "outbox_consumer_pending",
                    "outbox_consumer_read_errors_total");
            assertThat(scrape).contains("outbox_consumer_read_errors_total{group=\"runners\",stream=\"" + stream + "\"} 0.0");
        }
    }
}
