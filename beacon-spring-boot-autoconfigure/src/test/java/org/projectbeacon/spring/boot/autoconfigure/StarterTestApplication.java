package org.projectbeacon.spring.boot.autoconfigure;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.projectbeacon.outbox.OutboxMessage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A minimal application on the starter: a job service writing a row and an outbox message in one transaction. */
@SpringBootApplication
public class StarterTestApplication {

    /** The stream jobs are published to. */
    static final String STREAM = "jobs";

    @Bean
    JobService jobService(JdbcTemplate jdbc, TransactionalOutbox outbox, BeaconProperties properties) {
        return new JobService(jdbc, outbox, properties.getOutbox().getTablePrefix());
    }

    @Bean
    GolemClient golemClient() {
        return new GolemClient();
    }

    /** Jobs: a row in the application's table and its message, committed or rolled back together. */

    public static class JobService {
        private final JdbcTemplate jdbc;
        private final TransactionalOutbox outbox;
        private final String prefix;

        JobService(JdbcTemplate jdbc, TransactionalOutbox outbox, String prefix) {
            this.jdbc = jdbc;
            this.outbox = outbox;
            this.prefix = prefix;
        }

        /** Writes the job and its message; {@code fail} throws after both, so the transaction rolls back. */
        @Transactional
        public UUID submit(String type, boolean fail) {
            UUID id = UUID.randomUUID();
            jdbc.update("INSERT INTO " + prefix + "jobs (id, type) VALUES (?, ?)", id.toString(), type);
            outbox.enqueue(OutboxMessage.builder(STREAM).id(id).key(id.toString())
                    .payload(id.toString().getBytes(StandardCharsets.UTF_8)).build());
            if (fail) {
                throw new IllegalStateException("rolled back on purpose");
            }
            return id;
        }
    }

    /** A client protected by resilience4j's annotation with the breaker Beacon's guard "golem" uses. */
    public static class GolemClient {
        /** Always fails, so the shared breaker records failures. */
        @CircuitBreaker(name = "golem")
        public String negotiate() {
            throw new IllegalStateException("golem unavailable");
        }
    }
}
