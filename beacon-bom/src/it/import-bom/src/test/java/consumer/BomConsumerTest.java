package consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.health.checks.JdbcHealthCheck;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardRegistry;

/**
 * A user's project that imports only beacon-bom and names core, the outbox and health without
 * versions, with no Jdbi: a guarded call, an outbox message enqueued on a plain JDBC connection to
 * H2 and published to the in-process sink, and a health report over the database and the breaker.
 * It runs in surefire's forked JVM on the classpath Maven resolved for this project.
 */
class BomConsumerTest {

    @Test
    void guardOutboxAndHealthRunWithTheBomAlone() throws Exception {
        // Jdbi is optional in the outbox: it is not on this classpath, and enqueue(Connection) compiled.
        assertThatThrownBy(() -> Class.forName("org.jdbi.v3.core.Handle")).isInstanceOf(ClassNotFoundException.class);
        // One Micrometer: resilience4j-micrometer would otherwise bring an older micrometer-observation
        // than the micrometer-core Beacon is built with.
        assertThat(ObservationRegistry.class.getPackage().getImplementationVersion())
                .isEqualTo(MeterRegistry.class.getPackage().getImplementationVersion());

        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:bom-consumer;DB_CLOSE_DELAY=-1");

        try (GuardRegistry guards = GuardRegistry.ofDefaults()) {
            Guard golem = guards.guard("golem");
            assertThat(golem.call(() -> "guarded")).isEqualTo("guarded");

            Outbox outbox = Outbox.create(OutboxConfig.builder().build());
            outbox.migrate(dataSource);
            InProcessSink sink = new InProcessSink();
            List<String> published = new CopyOnWriteArrayList<>();
            CountDownLatch arrived = new CountDownLatch(1);
            sink.subscribe("jobs", r -> {
                published.add(r.key());
                arrived.countDown();
            });
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                outbox.enqueue(c, OutboxMessage.builder("jobs").key("rolled-back").payload("{}").build());
                c.rollback();
                outbox.enqueue(c, OutboxMessage.builder("jobs").key("job-1").payload("{}").build());
                c.commit();
            }
            try (OutboxPublisher publisher = OutboxPublisher.builder(dataSource, outbox.config(), sink).build()) {
                publisher.start();
                assertThat(arrived.await(60, TimeUnit.SECONDS)).as("the committed message is published").isTrue();
            }
            assertThat(published).containsExactly("job-1");

            try (HealthAggregator health = HealthAggregator.builder()
                    .check("database", JdbcHealthCheck.of(dataSource))
                    .check("golem", BreakerHealthCheck.of(golem, guards.admin()))
                    .build()) {
                HealthReport report = health.refreshNow();
                assertThat(report.status()).as("%s", report).isEqualTo(HealthStatus.UP);
                assertThat(report.services()).hasSize(2);
            }
        }
    }
}
