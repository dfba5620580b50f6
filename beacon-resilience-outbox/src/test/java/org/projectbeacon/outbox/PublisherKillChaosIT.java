package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.ReliabilityRecord;

/**
 * Two publisher processes drain 200,000 messages while one of them is killed with SIGKILL twenty
 * times (and started again each time): every message id must be in the stream exactly once. Killed
 * mid-batch, a publisher leaves rows leased but unacknowledged, some of them already in Redis; after
 * the lease the other publisher sends them again and the broker-side de-duplication keeps the second
 * copy out.
 */
class PublisherKillChaosIT {

    static final int MESSAGES = 200_000;
    static final int KILLS = 20;
    static final long LEASE_MS = 2_000;

    String prefix;
    DataSource ds;
    OutboxConfig config;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    final Process[] publishers = new Process[2];

    @BeforeEach
    void setUp() throws Exception {
        prefix = TestServices.prefix("chaos_kill");
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        Outbox.create(config).migrate(ds);
        client = TestServices.redis();
        connection = client.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : publishers) {
            ChaosSupport.kill(p);
        }
        if (connection != null) {
            ChaosSupport.deleteKeys(connection.sync(), prefix);
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    Process startPublisher(int i) throws Exception {
        return ChaosSupport.startJvm(ChaosPublisherMain.class, "publisher-kill-" + i, TestServices.PG_URL, prefix,
                TestServices.REDIS_URI, prefix, "2", Long.toString(LEASE_MS));
    }

    @Test
    void everyMessageIsInTheStreamExactlyOnceAfterTwentySigkills() throws Exception {
        Set<String> sent = ChaosSupport.preload(ds, config, "jobs", MESSAGES);
        RedisCommands<String, String> redis = connection.sync();
        String stream = prefix + "jobs";
        Instant started = Instant.now();
        publishers[0] = startPublisher(0);
        publishers[1] = startPublisher(1);

        int kills = 0;
        for (int k = 1; k <= KILLS; k++) {
            // Spread the kills over the first 80 % of the run, alternating between the publishers, so
            // each victim has been publishing since the previous kill.
            long threshold = (long) MESSAGES * 8 / 10 * k / KILLS;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> redis.xlen(stream) >= threshold);
            int victim = k % 2;
            ChaosSupport.kill(publishers[victim]);
            kills++;
            publishers[victim] = startPublisher(victim);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> ChaosSupport.backlog(ds, config) == 0);

        Map<String, Integer> counts = ChaosSupport.idCounts(redis, stream);
        ChaosSupport.Delivery d = ChaosSupport.Delivery.of(sent, counts);
        ReliabilityRecord.of("publisher-sigkill", "publisher JVMs killed with SIGKILL during a drain (2 publishers)",
                d.sent(), d.published(), d.lost(), d.duplicates(), started,
                kills + " SIGKILLs, lease " + LEASE_MS + " ms, de-duplication on").write();
        assertThat(kills).isEqualTo(KILLS);
        assertThat(d.lost()).as("lost").isZero();
        assertThat(d.duplicates()).as("duplicates in the stream").isZero();
        assertThat(d.published()).isEqualTo(MESSAGES);
    }
}
