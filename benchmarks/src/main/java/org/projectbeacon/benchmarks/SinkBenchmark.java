package org.projectbeacon.benchmarks;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/**
 * The Redis step of a drain alone (issue #15, goal 3: "measure each step"): one
 * {@link RedisStreamSink#send} of a batch of new 64-byte messages, with de-duplication (the Lua
 * script, {@code GET} and for a new message {@code XADD} + {@code SET}) and without (pipelined
 * {@code XADD}s), in one JVM against {@code BEACON_REDIS_URI}. The database steps (claim,
 * acknowledgement) are not in it, so the difference of the two is what de-duplication costs a batch.
 * Keys under {@code bench:sink:}, the stream capped by MAXLEN, de-duplication keys expiring after
 * 60 s and deleted at the end.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SinkBenchmark -prof gc
 * </pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SinkBenchmark extends JmhDefaults {

    private static final String PREFIX = "bench:sink:";

    @Param({"true", "false"})
    public boolean dedup;

    @Param({"500"})
    public int batch;

    private RedisClient client;
    private RedisStreamSink sink;
    private final byte[] payload = new byte[64];

    @Setup
    public void setUp() {
        client = RedisClient.create(OutboxDrainBenchmark.env("BEACON_REDIS_URI", "redis://127.0.0.1:6379"));
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(PREFIX).dedup(dedup)
                .dedupTtl(Duration.ofSeconds(60)).maxLen(100_000).build());
    }

    @TearDown
    public void tearDown() {
        sink.close();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    redis.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        client.shutdown();
    }

    /** One batch of new messages through the sink. */
    @Benchmark
    public List<SendResult> send() throws Exception {
        List<OutboxRecord> records = new ArrayList<>(batch);
        Instant now = Instant.now();
        for (int i = 0; i < batch; i++) {
            records.add(new OutboxRecord(UUID.randomUUID(), "drain", null, payload, "application/octet-stream", Map.of(), now, 0));
        }
        return sink.send(records);
    }
}
