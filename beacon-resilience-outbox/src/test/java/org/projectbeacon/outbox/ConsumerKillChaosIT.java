package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.ReliabilityRecord;
import org.projectbeacon.outbox.redis.StreamConsumer;

/**
 * A consumer process is killed with SIGKILL in the middle of its jobs while a second consumer of the
 * same group runs: the entries the dead consumer had read but not acknowledged must be taken over by
 * the survivor once idle past its claim threshold, and every job must be processed. A job whose side
 * effect was recorded just before the kill, but not yet acknowledged, runs twice; those duplicates
 * are counted, not hidden.
 */
class ConsumerKillChaosIT {

    static final int JOBS = 600;
    static final String GROUP = "workers";

    String prefix;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    Process victim;
    StreamConsumer survivor;

    @BeforeEach
    void setUp() {
        prefix = TestServices.prefix("chaos_consumer");
        client = TestServices.redis();
        connection = client.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        ChaosSupport.kill(victim);
        if (survivor != null) {
            survivor.close();
        }
        if (connection != null) {
            ChaosSupport.deleteKeys(connection.sync(), prefix);
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void aKilledConsumersPendingJobsAreReclaimedAndEveryJobIsProcessed() throws Exception {
        RedisCommands<String, String> redis = connection.sync();
        String stream = prefix + "jobs";
        String processed = prefix + "processed";
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < JOBS; i++) {
            String id = UUID.randomUUID().toString();
            redis.xadd(stream, Map.of("id", id, "payload", "job-" + i));
            sent.add(id);
        }
        Instant started = Instant.now();
        victim = ChaosSupport.startJvm(ChaosConsumerMain.class, "consumer-kill", TestServices.REDIS_URI, stream, GROUP,
                "victim", processed, "20");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> redis.hlen(processed) >= 100);
        survivor = StreamConsumer.builder(client, stream, GROUP, "survivor",
                        entry -> redis.hincrby(processed, entry.fields().get("id"), 1))
                .claimIdle(Duration.ofSeconds(2)).block(Duration.ofMillis(200)).build();
        survivor.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> pendingOf(redis, stream, "victim").size() > 0);

        ChaosSupport.kill(victim);
        List<PendingMessage> orphaned = pendingOf(redis, stream, "victim");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> redis.xpending(stream, GROUP).getCount() == 0 && redis.hlen(processed) >= JOBS);

        Map<String, String> counts = redis.hgetall(processed);
        long lost = sent.stream().filter(id -> !counts.containsKey(id)).count();
        long duplicates = counts.values().stream().mapToLong(n -> Long.parseLong(n) - 1).sum();
        Set<String> orphanIds = new HashSet<>();
        for (PendingMessage p : orphaned) {
            orphanIds.add(p.getId());
        }
        ReliabilityRecord.of("consumer-kill", "consumer JVM killed mid-job; a second consumer reclaims",
                sent.size(), counts.size(), lost, duplicates, started,
                orphanIds.size() + " entries pending on the killed consumer, reclaimed after 2 s idle;"
                        + " duplicates = jobs whose effect was recorded but not acknowledged before the kill").write();
        assertThat(orphanIds).as("entries the killed consumer held").isNotEmpty();
        assertThat(lost).as("jobs never processed").isZero();
        assertThat(counts.keySet()).isEqualTo(sent);
    }

    static List<PendingMessage> pendingOf(RedisCommands<String, String> redis, String stream, String consumer) {
        return redis.xpending(stream, Consumer.from(GROUP, consumer), Range.create("-", "+"), Limit.from(1_000));
    }
}
