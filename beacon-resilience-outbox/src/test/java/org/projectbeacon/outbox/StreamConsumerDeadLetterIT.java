package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.redis.StreamAdmin;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.projectbeacon.outbox.redis.StreamHandler;

/**
 * A consumer with a {@link DeadLetterQueue} on PostgreSQL: the entries it gives up on land in the
 * same table as the publisher's dead letters, and are acknowledged only then.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamConsumerDeadLetterIT {

    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    String prefix;
    DataSource ds;
    OutboxConfig config;
    DeadLetterQueue dlq;

    @BeforeAll
    void setUp() throws SQLException {
        String base = TestServices.prefix("consumer_dlq");
        ds = TestServices.dataSource(OutboxDialect.postgresql(), null);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(base).build();
        Outbox.create(config).migrate(ds);
        dlq = DeadLetterQueue.create(ds, config, new InProcessSink());
        client = TestServices.redis();
        connection = client.connect();
        redis = connection.sync();
        prefix = "beacon-test:" + base + ":";
    }

    @AfterAll
    void tearDown() {
        if (redis != null) {
            ChaosSupport.deleteKeys(redis, prefix);
            connection.close();
            client.shutdown();
        }
        if (ds != null) {
            TestServices.dropTables(ds, config);
        }
    }

    /** An entry as RedisStreamSink writes it; returns the outbox message id. */
    UUID addOutboxEntry(String stream, String key) {
        UUID id = UUID.randomUUID();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("id", id.toString());
        body.put("key", key);
        body.put("content-type", "application/json");
        body.put("payload", "{\"frame\":1}");
        body.put("h:trace", "abc-123");
        redis.xadd(stream, body);
        return id;
    }

    StreamConsumer.Builder consumer(String stream, StreamHandler handler) {
        return StreamConsumer.builder(client, stream, "runners", "c1", handler).deadLetters(dlq)
                .claimIdle(Duration.ofMillis(50)).block(Duration.ofMillis(20));
    }

    DeadLetter awaitOneDeadLetter(String stream, StreamConsumer consumer) throws SQLException {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            consumer.pollOnce();
            return dlq.count(DeadLetterFilter.stream(stream)) > 0;
        });
        assertThat(dlq.count(DeadLetterFilter.stream(stream))).isEqualTo(1);
        assertThat(StreamAdmin.create(client).pending(stream)).singleElement()
                .satisfies(g -> assertThat(g.pending()).isZero());
        return dlq.list(DeadLetterFilter.stream(stream), 0, 10).get(0);
    }

    @Test
    void anEntryFailingAtItsLastDeliveryGoesToTheDeadLetterTableAndIsAcknowledged() throws SQLException {
        String stream = prefix + "failing";
        UUID id = addOutboxEntry(stream, "job-1");
        try (StreamConsumer consumer = consumer(stream, e -> {
            throw new IllegalStateException("provider rejected job " + e.fields().get("key"));
        }).maxDeliveries(2).build()) {
            DeadLetter letter = awaitOneDeadLetter(stream, consumer);
            assertThat(letter.attempts()).isEqualTo(2);
            assertThat(letter.errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(letter.errorMessage()).contains("provider rejected job job-1");
            OutboxRecord m = letter.message();
            assertThat(m.stream()).isEqualTo(stream);
            assertThat(m.key()).isEqualTo("job-1");
            assertThat(m.contentType()).isEqualTo("application/json");
            assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"frame\":1}");
            assertThat(m.headers()).containsEntry("trace", "abc-123")
                    .containsEntry(DeadLetterQueue.ORIGINAL_ID_HEADER, id.toString());
        }
    }

    @Test
    void anEntryWhoseHandlersCrashedIsDeadLetteredWhenClaimed() throws SQLException {
        String stream = prefix + "crashed";
        addOutboxEntry(stream, "job-2");
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), "runners");
        StreamConsumerIT.readAndDie(redis, stream, "runners", "crashed-1");
        try (StreamConsumer consumer = consumer(stream, e -> { }).maxDeliveries(1).build()) {
            DeadLetter letter = awaitOneDeadLetter(stream, consumer);
            assertThat(letter.attempts()).isEqualTo(2);
            assertThat(letter.errorMessage()).contains("delivered 2 times without acknowledgement");
        }
    }

    @Test
    void aNonRetryableFailureIsDeadLetteredAtOnce() throws SQLException {
        String stream = prefix + "nonretryable";
        addOutboxEntry(stream, "job-3");
        try (StreamConsumer consumer = consumer(stream, e -> {
            throw new NonRetryableException("payload is not a job");
        }).build()) {
            DeadLetter letter = awaitOneDeadLetter(stream, consumer);
            assertThat(letter.attempts()).isEqualTo(1);
            assertThat(letter.errorClass()).isEqualTo(NonRetryableException.class.getName());
        }
    }
}
