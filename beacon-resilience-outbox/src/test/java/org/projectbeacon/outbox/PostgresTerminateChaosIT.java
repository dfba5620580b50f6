package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.ReliabilityRecord;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/**
 * The publisher's PostgreSQL connections (workers and LISTEN) are killed with
 * {@code pg_terminate_backend} every 200 ms while it drains 100,000 messages: it must carry on by
 * itself, without a restart, and deliver every message exactly once.
 */
class PostgresTerminateChaosIT {

    static final int MESSAGES = 100_000;

    String prefix;
    String applicationName;
    DataSource ds;
    OutboxConfig config;
    RedisClient client;
    RedisStreamSink sink;
    OutboxPublisher publisher;

    @BeforeEach
    void setUp() throws Exception {
        prefix = TestServices.prefix("chaos_pgkill");
        applicationName = "beacon-chaos-" + prefix;
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        Outbox.create(config).migrate(ds);
        client = TestServices.redis();
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(prefix).build());
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
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                ChaosSupport.deleteKeys(c.sync(), prefix);
            }
            client.shutdown();
        }
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    @Test
    void publishingSurvivesTerminatedConnectionsAndLosesNothing() throws Exception {
        Set<String> sent = ChaosSupport.preload(ds, config, "jobs", MESSAGES);
        // The publisher's own data source, named so only its backends are terminated.
        PGSimpleDataSource publisherDs = new PGSimpleDataSource();
        publisherDs.setURL(TestServices.PG_URL);
        publisherDs.setApplicationName(applicationName);
        publisher = OutboxPublisher.builder(publisherDs, config, sink)
                .config(PublisherConfig.builder().workers(2).pollInterval(Duration.ofMillis(100))
                        .leaseDuration(Duration.ofSeconds(2)).build())
                .build();
        Instant started = Instant.now();
        publisher.start();

        AtomicInteger rounds = new AtomicInteger();
        AtomicLong terminated = new AtomicLong();
        try (Connection killer = ds.getConnection();
                PreparedStatement kill = killer.prepareStatement(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            kill.setString(1, applicationName);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (ResultSet rs = kill.executeQuery()) {
                    rs.next();
                    terminated.addAndGet(rs.getLong(1));
                }
                rounds.incrementAndGet();
                return ChaosSupport.backlog(ds, config) == 0;
            });
        }
        assertThat(publisher.status().running()).isTrue();

        Map<String, Integer> counts;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            counts = ChaosSupport.idCounts(c.sync(), prefix + "jobs");
        }
        ChaosSupport.Delivery d = ChaosSupport.Delivery.of(sent, counts);
        ReliabilityRecord.of("postgres-terminate", "publisher's PostgreSQL connections killed (pg_terminate_backend)",
                d.sent(), d.published(), d.lost(), d.duplicates(), started,
                terminated.get() + " backends terminated in " + rounds.get() + " rounds of 200 ms; no restart").write();
        assertThat(terminated.get()).as("backends terminated").isGreaterThanOrEqualTo(10);
        assertThat(d.lost()).as("lost").isZero();
        assertThat(d.duplicates()).as("duplicates").isZero();
    }
}
