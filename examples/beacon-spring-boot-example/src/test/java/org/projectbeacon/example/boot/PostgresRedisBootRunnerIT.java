package org.projectbeacon.example.boot;

import org.junit.jupiter.api.BeforeAll;
import org.projectbeacon.resilience.TestServices;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On real PostgreSQL and Redis (BEACON_PG_URL, BEACON_REDIS_URI): the publisher writes Redis Streams
 * and the starter's stream consumer delivers the jobs; tables and keys under a prefix of this class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresRedisBootRunnerIT extends JobApiFlow {

    private static final String PREFIX = TestServices.prefix("bootrunner");

    @BeforeAll
    static void services() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestServices::postgresUrl);
        registry.add("beacon.sink.redis-uri", TestServices::redisUri);
        registry.add("example.prefix", () -> PREFIX);
    }
}
