package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectbeacon.outbox.redis.RedisConnection;
import org.projectbeacon.outbox.redis.RedisConnector;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.projectbeacon.outbox.redis.StreamEntry;
import org.projectbeacon.outbox.redis.WireFormat;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The wire format end to end, publisher → stream → consumer, on a single Redis and on the cluster:
 * every byte value, invalid UTF-8, an empty and a 1 MiB payload, Unicode headers, keys and content
 * types arrive as written; a consumer dead letter keeps the payload's bytes.
 */
class WireFormatContractIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single", "cluster"})
    void everyPayloadArrivesByteForByte(String topology) throws Exception {
        String uri = topology.equals("cluster")
                ? "redis+cluster://" + org.projectbeacon.resilience.TestServices.clusterUri().substring("redis://".length())
                : TestServices.REDIS_URI;
        String prefix = TestServices.prefix("wire_" + topology);
        DataSource ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        OutboxConfig config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix)
                .maxPayloadBytes(2 << 20).build();
        Outbox outbox = Outbox.create(config);
        outbox.migrate(ds);
        String keyPrefix = "beacon-test:" + prefix + ":";
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] big = new byte[1 << 20];
        new Random(12).nextBytes(big);
        Map<String, OutboxMessage> sent = new LinkedHashMap<>();
        for (OutboxMessage m : List.of(
                OutboxMessage.builder("wire").key("every-byte").payload(everyByte).contentType("application/x-protobuf")
                        .header("schema", "v1").build(),
                OutboxMessage.builder("wire").key("invalid-utf8").payload(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF,
                        (byte) 0xFE, 0}).build(),
                OutboxMessage.builder("wire").payload(new byte[0]).header("empty", "").build(),
                OutboxMessage.builder("wire").key("big").payload(big).contentType("application/gzip").build(),
                OutboxMessage.builder("wire").key("schlüssel-日本").payload("grüße ✓ 🚀")
                        .contentType("text/plain; charset=utf-8").header("région", "Zürich ✓ 東京 🚀")
                        .header("h:nested", "a=b&c").build())) {
            sent.put(m.id().toString(), m);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (OutboxMessage m : sent.values()) {
                outbox.enqueue(c, m);
            }
            c.commit();
        }
        Map<String, StreamEntry> received = new ConcurrentHashMap<>();
        try (RedisConnector connector = RedisConnector.create(uri);
                RedisStreamSink sink = RedisStreamSink.create(connector,
                        RedisSinkConfig.builder().keyPrefix(keyPrefix).partitions("wire", 3).build());
                OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                        .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(100)).build()).build();
                StreamConsumer consumer = StreamConsumer.builder(connector, keyPrefix + "wire", "g", "c1", e -> {
                    received.put(e.messageId().orElseThrow(), e);
                    if (e.key().filter("invalid-utf8"::equals).isPresent()) {
                        throw new NonRetryableException("to the dead-letter stream, bytes and all");
                    }
                }).partitions(3).block(Duration.ofMillis(100)).build()) {
            publisher.start();
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == sent.size());

            for (OutboxMessage m : sent.values()) {
                StreamEntry e = received.get(m.id().toString());
                assertThat(e.payload()).as("payload of %s", m.key()).isEqualTo(m.payload());
                assertThat(e.key()).isEqualTo(java.util.Optional.ofNullable(m.key()));
                assertThat(e.contentType()).isEqualTo(m.contentType());
                assertThat(e.headers()).isEqualTo(m.headers());
                assertThat(e.stream()).startsWith(keyPrefix + "wire:{");
            }
            assertThat(received.get(idOf(sent, "schlüssel-日本")).payloadText()).isEqualTo("grüße ✓ 🚀");

            OutboxMessage invalid = sent.get(idOf(sent, "invalid-utf8"));
            try (RedisConnection<String, byte[]> raw = connector.connect(WireFormat.CODEC)) {
                await().atMost(Duration.ofSeconds(10)).until(
                        () -> !raw.sync().xrange(consumer.deadLetterStream(), Range.create("-", "+")).isEmpty());
                StreamMessage<String, byte[]> dead = raw.sync().xrange(consumer.deadLetterStream(),
                        Range.create("-", "+")).get(0);
                assertThat(dead.getBody().get(WireFormat.PAYLOAD)).isEqualTo(invalid.payload());
                List<String> keys = new java.util.ArrayList<>(sink.config().streamKeys("wire"));
                keys.add(consumer.deadLetterStream());
                raw.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            TestServices.dropTables(ds, config);
        }
    }

    private static String idOf(Map<String, OutboxMessage> sent, String key) {
        return sent.values().stream().filter(m -> key.equals(m.key())).findFirst().orElseThrow().id().toString();
    }
}
