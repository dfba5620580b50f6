package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.ReliabilityRecord;

/**
 * A Redis of the test's own stops for 30 s while a producer keeps enqueueing (10 messages every
 * 20 ms, as fast as the machine allows): the publisher's breaker (its default guard) must open
 * within 5 s, the backlog gauge must rise, nothing may be lost, and everything must be in the stream
 * within 60 s of Redis' return. Redis stops in order ({@code SHUTDOWN SAVE}) and comes back with its
 * data, as a persistent Redis restarted by on-call would, so every entry the publisher had
 * acknowledged is still there to be counted.
 */
class RedisStopChaosIT {

    static final Duration OUTAGE = Duration.ofSeconds(30);

    OwnRedisPostgresFixture f;
    OutboxPublisher publisher;
    OutboxMonitor monitor;
    ScheduledExecutorService producer;
    ScheduledExecutorService refresher;

    @BeforeEach
    void setUp() throws Exception {
        f = OwnRedisPostgresFixture.open("chaos_redis");
        producer = Executors.newSingleThreadScheduledExecutor();
        refresher = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        producer.shutdownNow();
        producer.awaitTermination(10, TimeUnit.SECONDS);
        if (monitor != null) {
            monitor.close();
        }
        refresher.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void breakerOpensBacklogRisesNothingIsLostAndAllDrainsAfterRedisReturns() throws Exception {
        publisher = OutboxPublisher.builder(f.ds, f.config, f.sink)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(100)).build()).build();
        monitor = OutboxMonitor.builder(f.ds, f.config).refreshInterval(Duration.ofMillis(500))
                .scheduler(refresher).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        monitor.bindTo(meters);
        monitor.start();
        publisher.start();

        Set<String> sent = ConcurrentHashMap.newKeySet();
        // About 500 messages a second, 10 every 20 ms, each batch its own transaction.
        producer.scheduleAtFixedRate(() -> {
            try (Connection c = f.ds.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < 10; i++) {
                    UUID id = UUID.randomUUID();
                    f.outbox.enqueue(c, OutboxMessage.builder("jobs").id(id).payload("job").build());
                    sent.add(id.toString());
                }
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        Instant started = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> xlen() >= 1_000);

        double gaugeBefore = backlogGauge(meters);
        Instant stopped = Instant.now();
        f.server.shutdownSaving();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> "OPEN".equals(publisher.status().breakerState()));
        Duration toOpen = Duration.between(stopped, Instant.now());
        await().atMost(OUTAGE).until(() -> Duration.between(stopped, Instant.now()).compareTo(OUTAGE) >= 0);
        double gaugeDuringOutage = backlogGauge(meters);
        f.server.startAgain();
        Instant returned = Instant.now();
        producer.shutdown();
        producer.awaitTermination(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ChaosSupport.backlog(f.ds, f.config) == 0);
        Duration toDrain = Duration.between(returned, Instant.now());

        Map<String, Integer> counts;
        try (StatefulRedisConnection<String, String> c = f.client.connect()) {
            counts = ChaosSupport.idCounts(c.sync(), "jobs");
        }
        ChaosSupport.Delivery d = ChaosSupport.Delivery.of(sent, counts);
        double rate = sent.size() / (Duration.between(started, returned).toMillis() / 1000.0);
        ReliabilityRecord.of("redis-stop", "Redis stopped for 30 s under load",
                d.sent(), d.published(), d.lost(), d.duplicates(), started,
                String.format("producer %.0f msg/s throughout; breaker OPEN %.1f s after the stop; backlog gauge %.0f → %.0f; drained %.1f s after Redis returned",
                        rate, toOpen.toMillis() / 1000.0, gaugeBefore, gaugeDuringOutage, toDrain.toMillis() / 1000.0)).write();
        assertThat(toOpen).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(gaugeDuringOutage).as("backlog gauge during the outage").isGreaterThan(gaugeBefore + 1_000);
        assertThat(d.lost()).as("lost").isZero();
        assertThat(d.duplicates()).as("duplicates").isZero();
        assertThat(toDrain).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    long xlen() {
        try (StatefulRedisConnection<String, String> c = f.client.connect()) {
            return c.sync().xlen("jobs");
        }
    }

    static double backlogGauge(SimpleMeterRegistry meters) {
        return meters.get(OutboxMetricCatalog.UNPUBLISHED_COUNT).gauge().value();
    }
}
