package org.projectbeacon.outbox;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/**
 * A publisher process for the chaos tests: publishes a PostgreSQL outbox to Redis until it is killed.
 * Arguments: JDBC URL, table prefix, Redis URI, Redis key prefix, workers, lease in milliseconds.
 */
public final class ChaosPublisherMain {

    private ChaosPublisherMain() {}

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(args[0]);
        OutboxConfig config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(args[1]).build();
        RedisClient client = RedisClient.create(args[2]);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        RedisStreamSink sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(args[3]).build());
        OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder()
                        .workers(Integer.parseInt(args[4]))
                        .leaseDuration(Duration.ofMillis(Long.parseLong(args[5])))
                        .pollInterval(Duration.ofMillis(100))
                        .owner("chaos-" + ProcessHandle.current().pid())
                        .build())
                .build();
        publisher.start();
        System.out.println("publishing as pid " + ProcessHandle.current().pid());
        new CountDownLatch(1).await(); // until SIGKILL
    }
}
