package org.projectbeacon.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxReconciler;
import org.projectbeacon.resilience.TestServices;
import org.projectbeacon.spring.boot.autoconfigure.BeaconProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On real PostgreSQL and Redis (BEACON_PG_URL, BEACON_REDIS_URI): the publisher writes Redis Streams
 * and the starter's stream consumer delivers the jobs; tables and keys under a prefix of this class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresRedisBootRunnerIT extends JobApiFlow {

    @Autowired
    BeaconProperties properties;
    @Autowired
    ObjectProvider<OutboxReconciler> reconciler;

    private static final String PREFIX = TestServices.prefix("bootrunner");

    @BeforeAll
    static void services() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
    }

    /** As in the plain runner on Redis: rows stay until their job is done, and the reconciler runs. */
    @Test
    void publishedRowsAreKeptUntilDoneAndReconciled() {
        assertThat(properties.getPublisher().getAckMode()).isEqualTo(AckMode.KEEP_UNTIL_DONE);
        assertThat(reconciler.getIfAvailable()).isNotNull();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestServices::postgresUrl);
        registry.add("beacon.sink.redis-uri", TestServices::redisUri);
        registry.add("example.prefix", () -> PREFIX);
    }
}
