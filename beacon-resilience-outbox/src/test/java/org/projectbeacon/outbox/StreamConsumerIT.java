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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.resilience.metrics.RunnerMetrics;

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
    @SuppressWarnings("unchecked") // Lettuce's generic varargs
    void readAndDie(String stream, String group, String consumer) {
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
}
