package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.redis.StreamConsumer;

/**
 * A Redis without persistence restarts under a running consumer and comes back empty: no stream, no
 * group. The consumer must recreate both and handle what is written afterwards, without a restart.
 */
class StreamConsumerSelfHealingIT {

    @Test
    void aConsumerRecreatesItsGroupAfterRedisRestartedEmpty() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisClient client = RedisClient.create(server.uri());
            List<String> handled = new CopyOnWriteArrayList<>();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (StreamConsumer consumer = StreamConsumer.builder(client, "jobs", "runners", "c1",
                    e -> handled.add(e.fields().get("payload"))).block(Duration.ofMillis(100)).build();
                    StatefulRedisConnection<String, String> writer = client.connect()) {
                consumer.bindTo(registry);
                consumer.start();
                writer.sync().xadd("jobs", Map.of("payload", "before"));
                await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

                server.stop(); // loses everything
                server.startAgain();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> writer.sync().xadd("jobs", Map.of("payload", "after-1")) != null);
                writer.sync().xadd("jobs", Map.of("payload", "after-2"));

                await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsAll(List.of("after-1", "after-2")));
                assertThat(consumer.status().running()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> consumer.status().errorStreak() == 0);
                assertThat(writer.sync().xinfoGroups("jobs")).hasSize(1);
            } finally {
                client.shutdown();
            }
            String scrape = registry.scrape();
            assertThat(scrape).containsPattern("outbox_consumer_read_errors_total\\{group=\"runners\",stream=\"jobs\"} [1-9]");
        }
    }
}
