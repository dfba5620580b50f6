package org.projectbeacon.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.outbox.redis.StreamConsumer;

/**
 * A slow consumer process for the chaos tests: each job takes {@code job-millis}, then counts its
 * message id in a hash (as a job's side effect would be recorded), then returns so the consumer
 * acknowledges it. Runs until killed. Arguments: Redis URI, stream, group, consumer name, hash key,
 * job milliseconds.
 */
public final class ChaosConsumerMain {

    private ChaosConsumerMain() {}

    public static void main(String[] args) throws Exception {
        RedisClient client = RedisClient.create(args[0]);
        StatefulRedisConnection<String, String> side = client.connect();
        RedisCommands<String, String> redis = side.sync();
        String processed = args[4];
        long jobMillis = Long.parseLong(args[5]);
        StreamConsumer consumer = StreamConsumer.builder(client, args[1], args[2], args[3], entry -> {
            // The job's work: a child process of the test, standing for real work that takes time.
            TimeUnit.MILLISECONDS.sleep(jobMillis);
            redis.hincrby(processed, entry.fields().get("id"), 1);
        }).build();
        consumer.start();
        System.out.println("consuming as pid " + ProcessHandle.current().pid());
        new CountDownLatch(1).await(); // until SIGKILL
    }
}
