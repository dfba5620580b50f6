package org.projectbeacon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.redis.StreamHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * Which of the starter's checks are critical: Redis and the stream consumer are not by default (the
 * plain runner's choice: accepted messages wait in the outbox while Redis is down), and become so with
 * {@code beacon.health.redis-critical} and {@code beacon.health.consumer-critical}. An in-memory H2
 * database; the Redis URI names a closed port, so nothing connects while the context is only refreshed.
 */
class HealthCriticalityTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, BeaconAutoConfiguration.class,
                    BeaconOutboxAutoConfiguration.class))
            .withBean(StreamHandler.class, () -> entry -> { })
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:criticality;DB_CLOSE_DELAY=-1",
                    "beacon.outbox.migration=plain",
                    "beacon.sink.redis-uri=redis://127.0.0.1:1",
                    "beacon.consumer.stream=jobs",
                    "beacon.consumer.group=workers");

    @Test
    void redisAndConsumerAreNotCriticalByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(criticality(context)).containsEntry("database", true).containsEntry("outbox", false)
                    .containsEntry("redis", false).containsEntry("consumer", false);
        });
    }

    @Test
    void propertiesMakeRedisAndConsumerCritical() {
        runner.withPropertyValues("beacon.health.redis-critical=true", "beacon.health.consumer-critical=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(criticality(context)).containsEntry("redis", true).containsEntry("consumer", true);
                });
    }

    private static Map<String, Boolean> criticality(ApplicationContext context) {
        List<BeaconHealthCheck> checks = new java.util.ArrayList<>(context.getBeansOfType(BeaconHealthCheck.class).values());
        context.getBeansOfType(BeaconHealthChecks.class).values().forEach(group -> checks.addAll(group.checks()));
        return checks.stream().collect(Collectors.toMap(BeaconHealthCheck::name, c -> c.options().critical()));
    }
}
